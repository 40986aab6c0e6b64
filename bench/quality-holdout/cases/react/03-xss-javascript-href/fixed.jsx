import React from "react";
import PropTypes from "prop-types";
import { useQuery } from "@tanstack/react-query";

function useProfile(username) {
  return useQuery({
    queryKey: ["profile", username],
    queryFn: async () => {
      const res = await fetch(`/api/users/${encodeURIComponent(username)}`);
      if (!res.ok) throw new Error("not found");
      return res.json();
    },
  });
}

function toSafeHttpUrl(value) {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function ProfileLinks({ profile }) {
  const website = toSafeHttpUrl(profile.website);
  return (
    <div className="profile-links">
      {website && (
        <a href={website} target="_blank" rel="noopener noreferrer">
          {profile.websiteLabel || website}
        </a>
      )}
      {profile.twitter && <span>@{profile.twitter}</span>}
    </div>
  );
}

ProfileLinks.propTypes = {
  profile: PropTypes.shape({
    website: PropTypes.string,
    websiteLabel: PropTypes.string,
    twitter: PropTypes.string,
  }).isRequired,
};

export default function ProfileCard({ username }) {
  const { data: profile, isLoading, error } = useProfile(username);
  if (isLoading) return <div className="spinner" />;
  if (error) return <p>Profile not found.</p>;
  return (
    <section className="profile-card">
      <h2>{profile.displayName}</h2>
      <p>{profile.bio}</p>
      <ProfileLinks profile={profile} />
    </section>
  );
}

ProfileCard.propTypes = { username: PropTypes.string.isRequired };
