import React, { useMemo, useState } from "react";
import { marked } from "marked";
import DOMPurify from "dompurify";

export default function MarkdownEditor({ initialValue = "", onSave }) {
  const [text, setText] = useState(initialValue);
  const html = useMemo(() => DOMPurify.sanitize(marked.parse(text)), [text]);

  return (
    <div className="editor">
      <textarea value={text} onChange={(e) => setText(e.target.value)} rows={12} />
      <div className="preview" dangerouslySetInnerHTML={{ __html: html }} />
      <button onClick={() => onSave(text)}>Save</button>
    </div>
  );
}
