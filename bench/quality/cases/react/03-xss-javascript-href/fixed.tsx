import type { FC } from "react";

interface Profile {
  name: string;
  avatarUrl: string;
  website?: string;
  bio?: string;
}

function safeHttpUrl(value?: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export const ProfileCard: FC<{ profile: Profile }> = ({ profile }) => {
  const website = safeHttpUrl(profile.website);
  return (
    <div className="profile-card">
      <img src={profile.avatarUrl} alt="" width={64} height={64} />
      <h3>{profile.name}</h3>
      {profile.bio && <p>{profile.bio}</p>}
      {website && (
        <a href={website} target="_blank" rel="noopener noreferrer">
          Website
        </a>
      )}
    </div>
  );
};
