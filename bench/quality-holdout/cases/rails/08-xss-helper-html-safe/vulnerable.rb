# app/helpers/profiles_helper.rb
module ProfilesHelper
  def profile_heading(user)
    badge = user.verified? ? '<span class="badge">Verified</span>' : ""
    "<h2 class=\"profile-name\">#{user.display_name} #{badge}</h2>".html_safe
  end

  def profile_bio(user)
    return "" if user.bio.blank?

    paragraphs = user.bio.split(/\n{2,}/).map { |para| "<p>#{para}</p>" }
    "<div class=\"bio\">#{paragraphs.join}</div>".html_safe
  end

  def member_since(user)
    tag.small("Member since #{l(user.created_at.to_date, format: :long)}", class: "muted")
  end
end
