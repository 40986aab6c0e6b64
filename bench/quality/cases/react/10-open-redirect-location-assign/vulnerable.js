import { useEffect } from "react";

export function useOAuthCallback() {
  useEffect(() => {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const token = params.get("access_token");
    const redirect = params.get("redirect") || "/app";
    if (token) {
      sessionStorage.setItem("oauth_token", token);
    }
    window.location.assign(redirect);
  }, []);
}
