import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  async rewrites() {
    // The FastAPI service, reached through the Next.js server in development.
    return [{ source: '/api/v1/:path*', destination: `${process.env.API_URL ?? 'http://localhost:8000'}/:path*` }];
  },
};

export default nextConfig;
