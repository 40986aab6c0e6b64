import { NextResponse } from 'next/server';
import { getServerSession } from 'next-auth';
import { z } from 'zod';
import { authOptions } from '@/lib/auth';
import { prisma } from '@/lib/db';

const newPost = z.object({ title: z.string().min(1).max(200), body: z.string().min(1).max(10_000) });

export async function GET() {
  const posts = await prisma.post.findMany({
    where: { published: true },
    select: { id: true, title: true, createdAt: true },
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
  return NextResponse.json(posts);
}

export async function POST(request: Request) {
  const session = await getServerSession(authOptions);
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });
  const parsed = newPost.safeParse(await request.json());
  if (!parsed.success) return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  const post = await prisma.post.create({ data: { ...parsed.data, authorId: userId } });
  return NextResponse.json(post, { status: 201 });
}
