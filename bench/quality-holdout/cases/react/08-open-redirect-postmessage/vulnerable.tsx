import { useEffect } from "react";

type CheckoutMessage =
  | { type: "checkout:complete"; redirectUrl: string }
  | { type: "checkout:resize"; height: number };

export function EmbeddedCheckout({ sessionId }: { sessionId: string }) {
  useEffect(() => {
    function onMessage(event: MessageEvent<CheckoutMessage>) {
      const message = event.data;
      if (message?.type === "checkout:complete") {
        window.location.href = message.redirectUrl;
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
      src={`https://checkout.payments-partner.com/embed/${encodeURIComponent(sessionId)}`}
      className="w-full border-0"
    />
  );
}
