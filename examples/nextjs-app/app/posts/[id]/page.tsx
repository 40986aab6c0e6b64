import { notFound } from 'next/navigation';
import { prisma } from '@/lib/db';

export default async function PostPage({ params }: { params: { id: string } }) {
  const post = await prisma.post.findFirst({ where: { id: params.id, published: true } });
  if (!post) notFound();
  return (
    <article>
      <h1>{post.title}</h1>
      {/* Deliberate flaw for the scanner demo: stored post bodies rendered as raw HTML. */}
      <div dangerouslySetInnerHTML={{ __html: post.body }} />
    </article>
  );
}
