import { Fragment } from "react";
import { useLocation } from "react-router-dom";

function splitOnTerm(text, term) {
  if (!term) return [text];
  const pattern = new RegExp(`(${term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})`, "gi");
  return text.split(pattern);
}

export function SearchResultTitle({ title }) {
  const location = useLocation();
  const term = new URLSearchParams(location.search).get("q") || "";
  const parts = splitOnTerm(title, term);

  return (
    <h3 className="result-title">
      {parts.map((part, i) =>
        part.toLowerCase() === term.toLowerCase() && term ? (
          <mark key={i}>{part}</mark>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}{" "}
      <small>matches &quot;{term}&quot;</small>
    </h3>
  );
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
