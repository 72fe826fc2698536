import junit from 'junit-report-builder';
import { CampaignSummary } from './summary';

/**
 * The summary as JUnit XML, which GitLab and GitHub show as test results: one test case per cause, by whose
 * it is (QEMU's, or the target's), failed when the baseline does not know it.
 */
export const junitReport = (summary: CampaignSummary): string => {
  const builder = junit.newBuilder();
  const suite = builder.testSuite().name(`hbadiff causes, QEMU ${summary.qemuVersion}, seed ${summary.seed}`).time(summary.elapsedMs / 1000);
  for (const cause of summary.causes) {
    const test = suite.testCase().className(`hbadiff.${cause.subject}`).name(cause.text);
    const seen = cause.seenThrough.map((each) => `${each.scope} ${each.field} (${each.cases})`).join(', ');
    const where = cause.finding ? `; case and report in ${cause.finding}/` : '';
    if (cause.known) test.standardOutput(`known cause ${cause.id}, seen in ${cause.cases} case(s) through ${seen}`);
    else test.failure(`new cause ${cause.id}, first seen with seed ${cause.firstSeed ?? 'of a corpus case'}, in ${cause.cases} case(s) through ${seen}${where}`);
  }
  return builder.build();
};
