//! Who is calling: passwords, login sessions, API credentials, CSRF tokens and the login throttle.
//!
//! People log in with e-mail and password (argon2id) and get a session cookie; machine clients send an
//! API credential's key and secret with HTTP Basic. Both become a
//! [`mycel_organisation::Principal`] through [`caller::Caller`].

pub mod caller;
pub mod csrf;
pub mod throttle;
