import { useEffect, useState } from "react";

export default function EmbedFrame() {
  const [widgetHtml, setWidgetHtml] = useState("");

  useEffect(() => {
    function onMessage(event) {
      if (event.data && event.data.type === "widget:render") {
        setWidgetHtml(event.data.html);
      }
    }
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, []);

  return <div className="widget" dangerouslySetInnerHTML={{ __html: widgetHtml }} />;
}
