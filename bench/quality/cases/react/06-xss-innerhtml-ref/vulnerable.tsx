import { useEffect, useRef } from "react";

type Announcement = { title: string; message: string };

export function AnnouncementBanner({ announcement }: { announcement: Announcement | null }) {
  const bodyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (bodyRef.current && announcement) {
      bodyRef.current.innerHTML = `<strong>${announcement.title}</strong> ${announcement.message}`;
    }
  }, [announcement]);

  if (!announcement) return null;
  return <div className="banner" role="status" ref={bodyRef} />;
}
