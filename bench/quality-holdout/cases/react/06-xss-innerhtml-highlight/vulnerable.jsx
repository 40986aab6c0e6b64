import { useEffect, useRef } from "react";
import { useLocation } from "react-router-dom";

function buildHighlightedHtml(text, term) {
  if (!term) return text;
  const pattern = new RegExp(`(${term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})`, "gi");
  return text.replace(pattern, "<mark>$1</mark>");
}

export function SearchResultTitle({ title }) {
  const location = useLocation();
  const titleRef = useRef(null);
  const term = new URLSearchParams(location.search).get("q") || "";

  useEffect(() => {
    if (titleRef.current) {
      titleRef.current.innerHTML = `${buildHighlightedHtml(title, term)} <small>matches "${term}"</small>`;
    }
  }, [title, term]);

  return <h3 ref={titleRef} className="result-title" />;
}

export default function SearchResults({ results }) {
  return (
    <ol className="results">
      {results.map((r) => (
        <li key={r.id}>
          <SearchResultTitle title={r.title} />
          <p>{r.excerpt}</p>
        </li>
      ))}
    </ol>
  );
}
