class User < ApplicationRecord
  has_secure_password

  validates :email, presence: true, uniqueness: { case_sensitive: false }
  validates :password, length: { minimum: 8 }, allow_nil: true

  def self.authenticate(email, password)
    authenticate_by(email: email.to_s.downcase, password: password.to_s)
  end
end
