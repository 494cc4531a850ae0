-- Emails compare exactly. The server default collation (utf8mb4_unicode_ci, or MySQL 8's
-- utf8mb4_0900_ai_ci) is accent- and case-insensitive, so 'josé@x.io' and 'jose@x.io' were one
-- account to the unique key and to the login lookup: the second could not sign up, and could log in
-- to the first with its password. utf8mb4_bin compares code points, in MariaDB and MySQL 8 alike.
-- Case is folded by the application instead (emails are lower-cased on input), so 'Jose@x.io' and
-- 'jose@x.io' are still one account.
ALTER TABLE users MODIFY email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
