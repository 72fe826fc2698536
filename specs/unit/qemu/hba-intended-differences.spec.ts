import { commandScope } from '../../../harness/diff/command-scope';
import { defaultPolicyFile, loadPolicy, parsePolicy } from '../../../harness/diff/load-policy';
import { hostRulesFor, resetRulesFor, rulesFor } from '../../../harness/diff/policy';
import { hbaIntendedDifferences } from '../../../harness/qemu/hba/intended-differences';
import { hbaDrivers } from '../../../harness/qemu/hba/registry';
import { loadModelPolicy, modelRulesFor } from '../../../harness/model/model-policy';
import { PathId } from '../../../harness/qemu/topology';
import { cdb } from '../../../harness/scsi/cdb';

const synchronizeCache10 = commandScope(cdb([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
const synchronizeCache16 = commandScope(cdb([0x91, ...new Array<number>(15).fill(0)]));

/**
 * Each HBA's intended differences live in its own file as policy rules with reasons, and are in effect in every
 * policy loaded: megaraid_sas answering SYNCHRONIZE CACHE (10) itself is one, for megasas and megasas-gen2.
 */
describe("the HBAs' intended differences", () => {
  it('are valid policy rules, each about its own HBA, with ids no other rule has', () => {
    const all = hbaDrivers.flatMap((driver) => hbaIntendedDifferences(driver).map((rule) => ({ driver, rule })));
    expect(all.length).toBeGreaterThan(0);
    for (const { driver, rule } of all) expect([rule.id, rule.between[0]]).toEqual([rule.id, `${driver.model}:*`]);
    for (const kind of ['paths', 'model'] as const) {
      const rules = all.map(({ rule }) => rule).filter((rule) => rule.between.includes('model') === (kind === 'model'));
      expect(() => parsePolicy(JSON.stringify({ format: 'hbadiff-policy/1', rules }), 'hba rules', kind)).not.toThrow();
    }
    const ids = [...loadPolicy(defaultPolicyFile).rules, ...loadModelPolicy().rules].map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('mask what megaraid_sas answers itself, and nothing beside it', () => {
    const paths = loadPolicy(defaultPolicyFile);
    const pair = (a: string, b: string, scope = synchronizeCache10) => rulesFor(paths, 'status', scope, a as PathId, b as PathId).map((rule) => rule.id);
    expect(pair('virtio-scsi:scsi-block', 'megasas:scsi-hd')).toEqual(['megasas-driver-answers-synchronize-cache-10-status']);
    expect(pair('megasas-gen2:scsi-block', 'lsi53c895a:scsi-hd')).toEqual(['megasas-gen2-driver-answers-synchronize-cache-10-status']);
    expect(pair('virtio-scsi:scsi-block', 'virtio-scsi:scsi-hd')).toEqual([]);
    expect(pair('virtio-scsi:scsi-block', 'megasas:scsi-hd', synchronizeCache16)).toEqual([]);
    const model = loadModelPolicy();
    expect(modelRulesFor(model, 'status', synchronizeCache10, 'megasas:scsi-block' as PathId, 'lba-out-of-range').map((rule) => rule.id)).toEqual(['megasas-driver-answers-synchronize-cache-10-model-status']);
    expect(modelRulesFor(model, 'status', synchronizeCache10, 'virtio-scsi:scsi-hd' as PathId, 'lba-out-of-range')).toEqual([]);
  });

  it('excuse a reset on the HBA whose guest driver does not carry it out, and only there', () => {
    const paths = loadPolicy(defaultPolicyFile);
    const excused = (kind: 'device' | 'bus' | 'host', a: string, b: string) => resetRulesFor(paths, kind, a as PathId, b as PathId).map((rule) => rule.id);
    expect(excused('device', 'megasas:scsi-hd', 'virtio-scsi:scsi-hd')).toEqual(['megasas-driver-has-no-device-reset']);
    expect(excused('host', 'megasas:scsi-hd', 'virtio-scsi:scsi-hd')).toEqual(['virtio-scsi-driver-has-no-host-reset']);
    expect(excused('bus', 'lsi53c895a:scsi-hd', 'pvscsi:scsi-hd')).toEqual([]);
    expect(() => parsePolicy(JSON.stringify({ format: 'hbadiff-policy/1', rules: [{ id: 'x', between: ['megasas:*', '*:*'], reset: 'bus', field: 'sense', reason: 'a reset has no sense' }] }), 'p.json')).toThrow(/speaks of its outcome only/);
  });

  it('excuse the guest keeping an unplugged disk where the HBA tells it nothing, and only there', () => {
    const paths = loadPolicy(defaultPolicyFile);
    const excused = (a: string, b: string) => hostRulesFor(paths, 'unplug', a as PathId, b as PathId).map((rule) => rule.id);
    expect(excused('megasas:scsi-hd', 'virtio-scsi:scsi-hd')).toEqual(['megasas-guest-not-told-of-unplug']);
    expect(excused('virtio-scsi:scsi-block', 'virtio-scsi:scsi-hd')).toEqual([]);
    expect(hostRulesFor(paths, 'plug', 'megasas:scsi-hd' as PathId, 'virtio-scsi:scsi-hd' as PathId)).toEqual([]);
    expect(() => parsePolicy(JSON.stringify({ format: 'hbadiff-policy/1', rules: [{ id: 'x', between: ['megasas:*', '*:*'], host: 'plug', field: 'data', reason: 'a plug has no data' }] }), 'p.json')).toThrow(/speaks of its outcome only/);
  });
});
