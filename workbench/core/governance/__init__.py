"""Research governance for NHS / UK secure settings (METHODS.md section 6, GOV-1..GOV-14).

Modules: `withdrawal` (GOV-12) with `scrub`; `redaction` (GOV-6/8/9) with `identifiers` (GOV-7 detection
aids) and `anonlog` (the private anonymisation log and name list); `roles` (GOV-11); `identity_key`
(GOV-3: the re-identification key, kept in an owner-only file outside the project, of which the project
knows only a fingerprint); `clipboard` (GOV-2a: terminal clipboard copies off by default, enabling and
every copy audited); `checks` (GOV-5 small cells, GOV-2 permissions, GOV-4 pseudonym registry, GOV-7
export scan); `coreq` (GOV-14).

Withdrawal purge design (GOV-12)
--------------------------------
Where a participant's words can be, and how each place is emptied:

=====================  =====================================================================
place                  treatment
=====================  =====================================================================
store tables           one operation deletes sources, versions, texts, segments, codings and
                       (``remove-all``) records about them; scrubs quotes and the pseudonym
                       from memos (incl. revisions), codes (in-vivo labels), snapshots, links,
                       sets, clusters, records; leaves a tombstone participant
undo history           emptied in the same operation (an undo barrier): entries hold whole
                       before/after documents, and an undo could resurrect the words
journal.log            held every earlier transaction's documents; a checkpoint right after
                       the operation rewrites project.json atomically and truncates it
project.json           rewritten by that checkpoint from the purged state
audit.jsonl            never held words: events keep digests of word fields, keyed by a
                       per-event salt kept beside the log (`audit_salts`); the withdrawal
                       deletes the salts of every event about the participant (`salts`), so
                       those digests can no longer be tested against a guessed name; its own
                       event keeps no before-images, only counts and after-images, so the chain
                       is *appended to, never rewritten*, and still verifies from the first event
focus groups           a source of someone else in which the participant speaks: every version
                       is rewritten (`withdrawn_turns`) with their turns as "P02: [withdrawn]"
                       and the same number of lines, so the others' citations stay valid;
                       codings inside their turns go, overlapping ones are clipped and flagged
backups/, logs/        rewritten atomically (checkpoint copies row-filtered and scrubbed,
                       journal copies re-encoded with fresh checksums, text scrubbed)
private/               the anonymisation log's entries for the withdrawn sources are removed
exports                files listed in export manifests that still hold the words are deleted
                       (or reported), to be made again
=====================  =====================================================================

Afterwards every file under the project (and every kept export) is searched for the withdrawn words,
and the audit chain is re-verified; both results are in the report. Residual risks, stated plainly:
events written before audit digests were salted keep unsalted digests (the report counts those about
the participant; they cannot be rewritten without breaking the chain); a withdrawn participant's name
said by another speaker in a focus group stays in that turn (the residue check reports it); blocks freed
by the file system are not overwritten (delegate that to the encrypted volume, GOV-2c); exports copied
elsewhere by hand are beyond the tool's reach.
"""
