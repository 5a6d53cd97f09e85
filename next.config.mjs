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
        ],
      },
    ];
  },
};

export default nextConfig;
