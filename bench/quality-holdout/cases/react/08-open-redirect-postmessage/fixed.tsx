import { useEffect } from "react";

type CheckoutMessage =
  | { type: "checkout:complete"; redirectUrl: string }
  | { type: "checkout:resize"; height: number };

const CHECKOUT_ORIGIN = "https://checkout.payments-partner.com";

function sameOriginPath(candidate: string): string | null {
  try {
    const url = new URL(candidate, window.location.origin);
    return url.origin === window.location.origin ? url.pathname + url.search : null;
  } catch {
    return null;
  }
}

export function EmbeddedCheckout({ sessionId }: { sessionId: string }) {
  useEffect(() => {
    function onMessage(event: MessageEvent<CheckoutMessage>) {
      if (event.origin !== CHECKOUT_ORIGIN) return;
      const message = event.data;
      if (message?.type === "checkout:complete") {
        const target = sameOriginPath(message.redirectUrl);
        window.location.href = target ?? "/orders";
      } else if (message?.type === "checkout:resize") {
        const frame = document.getElementById("checkout-frame");
        if (frame) frame.style.height = `${message.height}px`;
      }
    }
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, []);

  return (
    <iframe
      id="checkout-frame"
      title="Checkout"
      src={`${CHECKOUT_ORIGIN}/embed/${encodeURIComponent(sessionId)}`}
      className="w-full border-0"
    />
  );
}
