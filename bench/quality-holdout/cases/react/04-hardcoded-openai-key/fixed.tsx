import { useState } from "react";

/** The OpenAI key lives on the server; the browser only talks to our own API. */
async function requestReply(history: Message[]): Promise<string> {
  const res = await fetch("/api/support-chat", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ messages: history }),
  });
  if (!res.ok) throw new Error("chat failed");
  const data: { reply: string } = await res.json();
  return data.reply;
}

type Message = { role: "user" | "assistant"; content: string };

export default function SupportChat() {
  const [messages, setMessages] = useState<Message[]>([]);
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);

  async function send() {
    if (!draft.trim()) return;
    const history: Message[] = [...messages, { role: "user", content: draft }];
    setMessages(history);
    setDraft("");
    setBusy(true);
    try {
      const reply = await requestReply(history);
      setMessages([...history, { role: "assistant", content: reply }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="chat">
      {messages.map((m, i) => (
        <p key={i} className={m.role}>
          {m.content}
        </p>
      ))}
      <textarea value={draft} onChange={(e) => setDraft(e.target.value)} />
      <button onClick={send} disabled={busy}>
        Send
      </button>
    </div>
  );
}
