import { useState } from "react";

const OPENAI_API_KEY = "sk-proj-T4nW9qL2xR7mB3vK8pZ1cF6hJ0sD5gY2aE4uI7oN9tQ3wX6bV1mC8kP0rL5fH2jS4dG7zA1T3BlbkFJq";

export function AskAssistant() {
  const [question, setQuestion] = useState("");
  const [answer, setAnswer] = useState("");

  async function ask() {
    const res = await fetch("https://api.openai.com/v1/chat/completions", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${OPENAI_API_KEY}` },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: question }] }),
    });
    const data = await res.json();
    setAnswer(data.choices?.[0]?.message?.content ?? "");
  }

  return (
    <div>
      <textarea value={question} onChange={(e) => setQuestion(e.target.value)} />
      <button onClick={ask}>Ask</button>
      <p>{answer}</p>
    </div>
  );
}
