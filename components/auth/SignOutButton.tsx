'use client';

import { signOut } from 'next-auth/react';

/** Ends the session and returns to the sign-in page. */
export function SignOutButton() {
  return (
    <button
      type="button"
      className="button button-quiet"
      style={{ color: '#c9cfdb', padding: '0.3rem 0.6rem', fontSize: '0.85rem' }}
      onClick={() => void signOut({ callbackUrl: '/signin' })}
    >
      Sign out
    </button>
  );
}
