-- A feed behind a login, added on Nguồn tin (fix36): its user name for HTTP Basic and the name of the secret
-- (environment variable or file in [secrets] dir) holding its password; never the password itself. '' for a source
-- without a login, as every row saved before.
ALTER TABLE managed_sources ADD COLUMN username VARCHAR NOT NULL DEFAULT '';
ALTER TABLE managed_sources ADD COLUMN password_env VARCHAR NOT NULL DEFAULT '';
