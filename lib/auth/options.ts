import { eq } from 'drizzle-orm';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { findMemberByUserId } from '@/db/queries/members';
import { users } from '@/db/schema';
import { runtime } from '@/lib/runtime';
import { normalizeEmail, signInErrorMessage, signInWithPassword } from './credentials';

/** Sessions are short: a JWT cannot be revoked, and roles are re-read from the database on every request anyway. */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

interface OidcProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** The single sign-on provider, switched on by OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET. */
export function oidcProvider(env: Record<string, string | undefined> = process.env): OAuthConfig<OidcProfile> | null {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = env;
  if (!issuer || !clientId || !clientSecret) return null;
  return {
    id: 'oidc',
    name: env.OIDC_NAME || 'Single sign-on',
    type: 'oauth',
    wellKnown: `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    idToken: true,
    checks: ['pkce', 'state'],
    authorization: { params: { scope: 'openid email profile' } },
    profile: (profile) => ({ id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null }),
  };
}

async function userIdByEmail(email: string | null | undefined): Promise<string | null> {
  if (!email) return null;
  const [user] = await runtime().db.select({ id: users.id }).from(users).where(eq(users.email, normalizeEmail(email)));
  return user?.id ?? null;
}

/** next-auth configuration: email + password for everyone, OIDC when configured; JWT sessions carrying only the user id. */
export function authOptions(): NextAuthOptions {
  const oidc = oidcProvider();
  return {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S, updateAge: 15 * 60 },
    jwt: { maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials) {
          const email = credentials?.email?.slice(0, 254) ?? '';
          const password = credentials?.password?.slice(0, 200) ?? '';
          if (!email || !password) throw new Error('Enter your email and password.');
          const { db } = runtime();
          const result = await signInWithPassword(db, email, password);
          if (!result.ok) throw new Error(signInErrorMessage(result));
          const member = await findMemberByUserId(db, result.userId);
          if (!member) throw new Error('This account is not a member of any organization yet. Ask your admin.');
          return { id: result.userId, email: member.email, name: member.name };
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ account, profile, user }) {
        if (account?.provider !== 'oidc') return true;
        // Single sign-on proves an email; only people an admin added as members get in.
        if ((profile as OidcProfile | undefined)?.email_verified === false) return '/signin?error=EmailNotVerified';
        const userId = await userIdByEmail(user.email);
        if (!userId || !(await findMemberByUserId(runtime().db, userId))) return '/signin?error=NotMember';
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account) token.uid = account.provider === 'oidc' ? await userIdByEmail(user.email) : user.id;
        return token;
      },
      async session({ session, token }) {
        if (session.user && typeof token.uid === 'string') (session.user as { id?: string }).id = token.uid;
        return session;
      },
    },
  };
}
