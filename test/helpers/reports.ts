/**
 * A weekly report's actions are a connection (`actions(first, after)`): tests that read a whole
 * small week ask for one page of up to 200 and look at the actions as a list.
 */
export function allActions(fields: string): string {
  return `actions(first: 200) { totalCount pageInfo { hasNextPage } edges { node { ${fields} } } }`;
}

/** The report with its one page of actions as a plain list (checked to be the whole week). */
export function flat<T>(report: T): T {
  if (!report || typeof report !== 'object' || !('actions' in report)) return report;
  const page = (report as { actions: any }).actions;
  if (!page || !Array.isArray(page.edges)) return report;
  if (page.pageInfo?.hasNextPage)
    throw new Error('the test week has more than one page of actions');
  const actions = page.edges.map((e: { node: unknown }) => e.node);
  if (page.totalCount !== undefined && page.totalCount !== actions.length)
    throw new Error(`totalCount ${page.totalCount}, ${actions.length} actions on the page`);
  return { ...report, actions };
}
