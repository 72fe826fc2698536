/**
 * Whether arrays and objects in `value` nest more than `maxDepth` levels (`{}` is one level). Counted
 * without recursion, since JSON.parse builds values nested far deeper than the call stack allows.
 */
export const nestsDeeperThan = (value: unknown, maxDepth: number): boolean => {
  const pending: { readonly value: unknown; readonly depth: number }[] = [{ value, depth: 1 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > maxDepth) return true;
    for (const child of Object.values(item.value)) pending.push({ value: child, depth: item.depth + 1 });
  }
  return false;
};
