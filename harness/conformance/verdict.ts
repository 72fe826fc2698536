/**
 * One test's outcome on one path. `skip`: the test passed without testing (it said [SKIPPED], or sent no
 * command: libiscsi's Async tests skip silently over SG_IO); `n/a`: it needs what SG_IO cannot give (an iSCSI
 * session, a second initiator); `error`: the suite never reported it (it hung, crashed or was cut short).
 */
export type Verdict = 'pass' | 'fail' | 'skip' | 'n/a' | 'error';

export const verdicts: readonly Verdict[] = ['pass', 'fail', 'skip', 'n/a', 'error'];

/** How a table cell spells each, upper-case where a reader should look. */
export const verdictLabel: Readonly<Record<Verdict, string>> = { pass: 'pass', fail: 'FAIL', skip: 'skip', 'n/a': 'n/a', error: 'ERROR' };
