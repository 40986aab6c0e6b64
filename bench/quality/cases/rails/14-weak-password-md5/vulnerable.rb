require "digest"

class User < ApplicationRecord
  attr_accessor :password

  validates :email, presence: true, uniqueness: { case_sensitive: false }
  validates :password, length: { minimum: 8 }, if: -> { password.present? }

  before_save :hash_password, if: -> { password.present? }

  def self.authenticate(email, password)
    user = find_by(email: email.to_s.downcase)
    user if user && user.password_digest == Digest::MD5.hexdigest(password.to_s)
  end

  private

  def hash_password
    self.password_digest = Digest::MD5.hexdigest(password)
  end
end
