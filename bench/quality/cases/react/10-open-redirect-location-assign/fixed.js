import { useEffect } from "react";

export function useOAuthCallback() {
  useEffect(() => {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const token = params.get("access_token");
    const requested = params.get("redirect") || "/app";
    const target = new URL(requested, window.location.origin);
    const redirect = target.origin === window.location.origin ? target.pathname + target.search : "/app";
    if (token) {
      sessionStorage.setItem("oauth_token", token);
    }
    window.location.assign(redirect);
  }, []);
}
