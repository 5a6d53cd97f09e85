import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/SignInForm';
import { oidcProvider } from '@/lib/auth/options';
import { currentMember } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sign in' };

const errorMessages: Record<string, string> = {
  NotMember: 'Single sign-on worked, but this email is not a member of any organization here. Ask your admin to add you.',
  EmailNotVerified: 'Your identity provider has not verified this email address.',
  OAuthSignin: 'Single sign-on could not start. Try again, or use your password.',
  OAuthCallback: 'Single sign-on did not complete. Try again, or use your password.',
  SessionRequired: 'Sign in to continue.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  if (await currentMember()) redirect('/');
  const { error } = await searchParams;
  const sso = oidcProvider();
  return (
    <main className="signin">
      <div className="signin-card">
        <div className="brand" style={{ color: 'var(--ink)', padding: 0 }}>
          <span className="brand-mark" aria-hidden>
            ⚡
          </span>
          Stormdesk
        </div>
        <h1>Sign in</h1>
        <SignInForm ssoName={sso ? sso.name : null} initialError={error ? (errorMessages[error] ?? 'Sign-in failed. Try again.') : null} />
      </div>
    </main>
  );
}
