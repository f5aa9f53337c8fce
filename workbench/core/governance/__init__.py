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
audit.jsonl            never held words: events keep digests of word fields (`audit.redact`);
                       the withdrawal's own event keeps no before-images at all, only counts
                       and after-images, so the chain is *appended to, never rewritten*, and
                       still verifies from the first event
backups/, logs/        rewritten atomically (checkpoint copies row-filtered and scrubbed,
                       journal copies re-encoded with fresh checksums, text scrubbed)
private/               the anonymisation log's entries for the withdrawn sources are removed
exports                files listed in export manifests that still hold the words are deleted
                       (or reported), to be made again
=====================  =====================================================================

Afterwards every file under the project (and every kept export) is searched for the withdrawn words,
and the audit chain is re-verified; both results are in the report. Residual risks, stated plainly: the
audit log's digests of *short* fields (a pseudonym) could be matched by someone guessing candidate names
(a keyed digest would close this); blocks freed by the file system are not overwritten (delegate that to
the encrypted volume, GOV-2c); exports copied elsewhere by hand are beyond the tool's reach.
"""
