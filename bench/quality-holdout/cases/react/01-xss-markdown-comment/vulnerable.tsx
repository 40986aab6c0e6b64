import { useEffect, useState } from "react";
import { marked } from "marked";

type Comment = {
  id: string;
  author: { name: string; avatarUrl: string };
  body: string; // markdown written by other users
  createdAt: string;
};

async function fetchComments(postId: string): Promise<Comment[]> {
  const res = await fetch(`/api/posts/${encodeURIComponent(postId)}/comments`);
  if (!res.ok) throw new Error("failed to load comments");
  return res.json();
}

function CommentBody({ markdown }: { markdown: string }) {
  const html = marked.parse(markdown, { async: false }) as string;
  return <div className="prose prose-sm" dangerouslySetInnerHTML={{ __html: html }} />;
}

export default function CommentThread({ postId }: { postId: string }) {
  const [comments, setComments] = useState<Comment[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetchComments(postId).then(setComments).catch((e: Error) => setError(e.message));
  }, [postId]);

  if (error) return <p className="text-red-600">{error}</p>;

  return (
    <ul className="space-y-4">
      {comments.map((c) => (
        <li key={c.id} className="flex gap-3">
          <img src={c.author.avatarUrl} alt="" className="h-8 w-8 rounded-full" />
          <div>
            <strong>{c.author.name}</strong>
            <time className="ml-2 text-xs text-gray-500">{new Date(c.createdAt).toLocaleString()}</time>
            <CommentBody markdown={c.body} />
          </div>
        </li>
      ))}
    </ul>
  );
}
