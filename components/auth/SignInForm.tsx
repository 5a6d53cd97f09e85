'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';

/** Email + password sign-in, with single sign-on when the server has it configured. */
export function SignInForm({ ssoName, initialError }: { ssoName: string | null; initialError: string | null }) {
  const router = useRouter();
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', { email: form.get('email'), password: form.get('password'), redirect: false });
    if (result?.ok && !result.error) {
      router.replace('/');
      router.refresh();
      return;
    }
    setPending(false);
    setError(result?.error && result.error !== 'CredentialsSignin' ? result.error : 'Wrong email or password.');
  }

  return (
    <form onSubmit={onSubmit} className="stack" noValidate>
      {error && (
        <div role="alert" className="alert alert-error">
          {error}
        </div>
      )}
      <label className="field">
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label className="field">
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      {ssoName && (
        <button className="button button-quiet" type="button" onClick={() => void signIn('oidc', { callbackUrl: '/' })}>
          Sign in with {ssoName}
        </button>
      )}
    </form>
  );
}
