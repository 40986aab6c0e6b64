import type { ReactNode } from 'react';

export const metadata = { title: 'Posts', description: 'auditor demo: Next.js app router' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
