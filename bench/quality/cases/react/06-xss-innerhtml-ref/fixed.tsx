
type Announcement = { title: string; message: string };

export function AnnouncementBanner({ announcement }: { announcement: Announcement | null }) {
  if (!announcement) return null;
  return (
    <div className="banner" role="status">
      <strong>{announcement.title}</strong> {announcement.message}
    </div>
  );
}
