import type { FC } from "react";

interface Profile {
  name: string;
  avatarUrl: string;
  website?: string;
  bio?: string;
}

export const ProfileCard: FC<{ profile: Profile }> = ({ profile }) => {
  return (
    <div className="profile-card">
      <img src={profile.avatarUrl} alt="" width={64} height={64} />
      <h3>{profile.name}</h3>
      {profile.bio && <p>{profile.bio}</p>}
      {profile.website && (
        <a href={profile.website} target="_blank" rel="noopener noreferrer">
          Website
        </a>
      )}
    </div>
  );
};
