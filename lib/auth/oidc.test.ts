import { describe, expect, it } from 'vitest';
import { oidcProvider } from './options';

describe('single sign-on', () => {
  it('is off unless issuer, client id and secret are all set', () => {
    expect(oidcProvider({})).toBeNull();
    expect(oidcProvider({ OIDC_ISSUER: 'https://id.example', OIDC_CLIENT_ID: 'stormdesk' })).toBeNull();
  });

  it('uses the issuer’s discovery document, PKCE and state, and asks for the email', () => {
    const provider = oidcProvider({ OIDC_ISSUER: 'https://id.example/realms/acme/', OIDC_CLIENT_ID: 'stormdesk', OIDC_CLIENT_SECRET: 's3cret', OIDC_NAME: 'Acme SSO' });
    expect(provider).toMatchObject({
      id: 'oidc',
      name: 'Acme SSO',
      wellKnown: 'https://id.example/realms/acme/.well-known/openid-configuration',
      clientId: 'stormdesk',
      checks: ['pkce', 'state'],
      idToken: true,
    });
    expect(provider?.authorization).toEqual({ params: { scope: 'openid email profile' } });
    expect(provider?.profile?.({ sub: 'u1', email: 'a@acme.example', name: 'A' }, {} as never)).toEqual({ id: 'u1', email: 'a@acme.example', name: 'A' });
  });
});
