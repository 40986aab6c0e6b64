import { useEffect, useState } from "react";
import DOMPurify from "dompurify";

type Comment = { id: string; author: string; body: string; createdAt: string };

export function CommentList({ postId }: { postId: string }) {
  const [comments, setComments] = useState<Comment[]>([]);

  useEffect(() => {
    fetch(`/api/posts/${postId}/comments`)
      .then((r) => r.json())
      .then(setComments);
  }, [postId]);

  return (
    <section className="comments">
      {comments.map((c) => (
        <article key={c.id} className="comment">
          <header>
            <strong>{c.author}</strong> <time>{new Date(c.createdAt).toLocaleString()}</time>
          </header>
          <div className="comment-body" dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(c.body) }} />
        </article>
      ))}
    </section>
  );
}
