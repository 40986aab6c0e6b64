import { useState } from "react";
import OpenAI from "openai";

const openai = new OpenAI({
  apiKey: "sk-proj-Q7vR2mXk9LpT4wZs8NbYc3HdJf6GaE1uVo5KiRl0SxWtPqMn",
  dangerouslyAllowBrowser: true,
});

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
      const completion = await openai.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "system", content: "You are a helpful support agent." }, ...history],
      });
      const reply = completion.choices[0]?.message?.content ?? "";
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
