import { useEffect, useState } from "react";
import DOMPurify from "dompurify";

const WIDGET_ORIGIN = "https://widgets.example.com";

export default function EmbedFrame() {
  const [widgetHtml, setWidgetHtml] = useState("");

  useEffect(() => {
    function onMessage(event) {
      if (event.origin !== WIDGET_ORIGIN) return;
      if (event.data && event.data.type === "widget:render" && typeof event.data.html === "string") {
        setWidgetHtml(DOMPurify.sanitize(event.data.html));
      }
    }
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, []);

  return <div className="widget" dangerouslySetInnerHTML={{ __html: widgetHtml }} />;
}
