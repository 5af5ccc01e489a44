-- Whether a scheduled weekly report came late, judged when it was made, by the schedule then in force (round 23).
-- Lưu trữ judged it from today's [reports] schedule: an office that moved its report from Friday 16:00 to Monday
-- 08:00 saw every Friday report made on the Monday after called «tạo muộn» and the late ones not. NULL: made by hand,
-- a rapid report, or archived before round 23 (no mark shown: the schedule of that day is not known).
ALTER TABLE report_archive ADD COLUMN late BOOLEAN;
