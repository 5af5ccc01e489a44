-- Who is sending a case's reply, and since when (store.cases.claim_reply). Why: two «Gửi trả lời» of one case
-- submitted in the same moment both passed orchestration.cases.send_reply's «already answered» check, read before
-- either wrote, and both went out through the Graph API (round 29's sweep, fix29). The claim is one conditional UPDATE
-- in the write transaction: only one submit takes it; record_reply lets it go. One a crash left is taken over once it
-- is older than the reply's own timeout allows (orchestration.cases.claim_stale).
ALTER TABLE cases ADD COLUMN reply_claimed_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN reply_claimed_by VARCHAR;
