/** @type {import('next').NextConfig} */
const nextConfig = {
  // These must be one instance per process: the room server (server.ts) and the app share them.
  serverExternalPackages: ['yjs', 'y-websocket', 'y-protocols', 'lib0', '@electric-sql/pglite', 'postgres', 'ws', 'mailparser'],
  poweredByHeader: false,
  // `npm run typecheck` checks the whole project (tests and scripts too); the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  typedRoutes: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          // Text from social media is untrusted; even if some ever slipped through as markup, no outside script,
          // frame or form target would be allowed. Next.js needs inline scripts for hydration (no nonces here).
          {
            key: 'Content-Security-Policy',
            value: [
              "default-src 'self'",
              // React's development build evaluates code for its debugging aids; production does not.
              `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === 'production' ? '' : " 'unsafe-eval'"}`,
              "style-src 'self' 'unsafe-inline'",
              "img-src 'self' data: blob:",
              "connect-src 'self' ws: wss:",
              "frame-ancestors 'none'",
              "form-action 'self'",
              "base-uri 'self'",
              "object-src 'none'",
            ].join('; '),
          },
        ],
      },
    ];
  },
};

export default nextConfig;
