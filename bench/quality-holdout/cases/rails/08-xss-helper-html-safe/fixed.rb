# app/helpers/profiles_helper.rb
module ProfilesHelper
  def profile_heading(user)
    badge = user.verified? ? tag.span("Verified", class: "badge") : nil
    tag.h2(safe_join([user.display_name, badge].compact, " "), class: "profile-name")
  end

  def profile_bio(user)
    return "" if user.bio.blank?

    paragraphs = user.bio.split(/\n{2,}/).map { |para| tag.p(para) }
    tag.div(safe_join(paragraphs), class: "bio")
  end

  def member_since(user)
    tag.small("Member since #{l(user.created_at.to_date, format: :long)}", class: "muted")
  end
end
