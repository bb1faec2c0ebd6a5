/**
 * "Mulige dubletter" / "Possible duplicates": the review queue (src/api/partner/merge/admin-routes.ts)
 * side by side. A waiting event push has Merge (link it to the event we have) and "Not the
 * same". Two documents have "Compare and merge": both documents field by field in every locale
 * (GET /admin/duplicates/compare), where the editor chooses the document to keep and, for each
 * field that differs, whose value (or both, for lists), then merges. Below the queue, the recent
 * merges that can still be undone, each with Undo. Shown to roles with the
 * `api::partner.review-duplicates` permission (Redaktør, not Skribent).
 */
import { useCallback, useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Badge, Box, Button, Flex, Grid, Radio, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';

type Kind = 'event' | 'person' | 'organisation';
type Choice = 'keep' | 'merge' | 'both';

const UIDS: Record<Kind, string> = { event: 'api::event.event', person: 'api::person.person', organisation: 'api::organisation.organisation' };

interface DocumentSummary {
  documentId: string;
  label: string | null;
  slug: string | null;
  locales: string[];
  published: boolean;
  updatedAt: string | null;
}

interface Candidate {
  id: number;
  kind: Kind;
  rule: string;
  score: number;
  partner: string;
  externalId: string;
  pushed: { document: DocumentSummary | null; evidence: Record<string, any> | null };
  candidate: { document: DocumentSummary | null; evidence: Record<string, any> | null };
}

interface ComparedField {
  field: string;
  locale: string | null;
  kind: 'scalar' | 'relation' | 'media' | 'component';
  localized: boolean;
  multiple: boolean;
  component?: string;
  choices: Choice[];
  default: Choice | null;
  differs: boolean;
  keep: { draft: unknown; published?: unknown } | null;
  merge: { draft: unknown; published?: unknown } | null;
}

interface Comparison {
  keep: { documentId: string; label: string | null; updatedAt: string | null; locales: Array<{ locale: string; published: boolean }> };
  merge: { documentId: string; label: string | null; updatedAt: string | null; locales: Array<{ locale: string; published: boolean }> };
  locales: { shared: string[]; onlyKeep: string[]; onlyMerge: string[] };
  fields: ComparedField[];
}

interface MergeRecord {
  id: number;
  contentType: string;
  kept: string;
  merged: string;
  createdAt: string;
  undoUntil: string;
  summary: { dropped: unknown[]; labels?: { kept: string | null; merged: string | null } };
}

const errorMessage = (error: any) => error?.response?.data?.error?.message ?? String(error?.message ?? error);

function Evidence({ evidence }: { evidence: Record<string, any> | null }) {
  const { formatMessage, formatDate } = useIntl();
  if (!evidence) return null;
  const label = (field: string, values?: Record<string, string>) => formatMessage({ id: `duplicates.evidence.${field}`, defaultMessage: field }, values);
  const rows: Array<[string, string]> = [];
  if (evidence.titles) for (const [locale, title] of Object.entries(evidence.titles)) rows.push([label('title', { locale }), String(title)]);
  if (evidence.name) rows.push([label('name'), String(evidence.name)]);
  if (evidence.organisation) rows.push([label('organisation'), String(evidence.organisation)]);
  if (evidence.startsAt) rows.push([label('startsAt'), formatDate(evidence.startsAt, { dateStyle: 'medium', timeStyle: 'short' })]);
  if (evidence.venue) rows.push([label('venue'), [evidence.venue.name, evidence.venue.code].filter(Boolean).join(' · ')]);
  if (evidence.sourcePartner) rows.push([label('source'), String(evidence.sourcePartner)]);
  return (
    <Box paddingTop={2}>
      {rows.map(([name, value]) => (
        <Typography key={name} tag="p" variant="pi">
          {name}: {value}
        </Typography>
      ))}
    </Box>
  );
}

function Side({ title, document, evidence, notMade }: { title: string; document: DocumentSummary | null; evidence: Record<string, any> | null; notMade: string }) {
  const { formatMessage } = useIntl();
  return (
    <Box background="neutral0" padding={4} hasRadius shadow="tableShadow" height="100%">
      <Typography variant="sigma" textColor="neutral600">
        {title}
      </Typography>
      {document ? (
        <Flex direction="column" alignItems="flex-start" gap={1} paddingTop={2}>
          <Typography variant="delta">{document.label}</Typography>
          <Flex gap={2}>
            <Badge>{document.published ? formatMessage({ id: 'duplicates.published', defaultMessage: 'Published' }) : formatMessage({ id: 'duplicates.draft', defaultMessage: 'Draft' })}</Badge>
            <Typography variant="pi">{document.locales.join(', ')}</Typography>
            <Typography variant="pi" textColor="neutral600">
              {document.documentId}
            </Typography>
          </Flex>
        </Flex>
      ) : (
        <Typography tag="p" variant="pi" textColor="neutral600">
          {notMade}
        </Typography>
      )}
      <Evidence evidence={evidence} />
    </Box>
  );
}

/** One value as an editor reads it: text, a related document's name, a file (with its picture), a component. */
function Value({ field, value }: { field: ComparedField; value: unknown }) {
  const { formatMessage } = useIntl();
  const empty = <Typography textColor="neutral500">{formatMessage({ id: 'duplicates.compare.empty', defaultMessage: '(empty)' })}</Typography>;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return empty;
  const items = Array.isArray(value) ? value : [value];
  if (field.kind === 'media') {
    return (
      <Flex gap={2} wrap="wrap">
        {items.map((file: any) => (
          <Flex key={file.id} direction="column" alignItems="flex-start" gap={1}>
            {String(file.mime ?? '').startsWith('image/') && file.url ? <img src={file.url} alt={file.name ?? ''} style={{ maxWidth: 96, maxHeight: 96, objectFit: 'cover' }} /> : null}
            <Typography variant="pi">{file.name}</Typography>
          </Flex>
        ))}
      </Flex>
    );
  }
  if (field.kind === 'relation') return <Typography>{items.map((item: any) => item?.label ?? item?.documentId).join(', ')}</Typography>;
  if (field.kind === 'component') {
    // Each of the component's fields with its label (the content manager's), a relation by name, yes/no for a boolean.
    const part = (key: string, inner: any) => {
      const name = formatMessage({ id: `content-manager.components.${field.component}.${key}`, defaultMessage: key });
      const text =
        typeof inner === 'boolean'
          ? formatMessage({ id: inner ? 'duplicates.compare.yes' : 'duplicates.compare.no', defaultMessage: inner ? 'yes' : 'no' })
          : inner && typeof inner === 'object'
            ? Array.isArray(inner)
              ? inner.map((entry: any) => entry?.label ?? entry?.name).join(', ')
              : (inner.label ?? inner.name)
            : String(inner);
      return `${name}: ${text}`;
    };
    // One line per field, a gap between components: the table stays narrow enough for the choices beside it.
    return (
      <Flex direction="column" alignItems="flex-start" gap={3}>
        {items.map((component: any, index: number) => (
          <Flex key={component.id ?? index} direction="column" alignItems="flex-start">
            {Object.entries(component)
              .filter(([key, inner]) => key !== 'id' && inner !== null && inner !== '')
              .map(([key, inner]) => (
                <Typography key={key} variant="pi">
                  {part(key, inner)}
                </Typography>
              ))}
          </Flex>
        ))}
      </Flex>
    );
  }
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return <Typography>{text.length > 300 ? `${text.slice(0, 299)}…` : text}</Typography>;
}

const choiceKey = (field: ComparedField) => `${field.field}|${field.locale ?? ''}`;

/** Both documents side by side; the editor picks the one to keep and each differing field's value, then merges. */
function MergePanel({ candidate, onClose, onMerged }: { candidate: Candidate; onClose: () => void; onMerged: () => Promise<void> }) {
  const { formatMessage, formatDate } = useIntl();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  // Keep what we have unless the editor turns it round.
  const [keepPushed, setKeepPushed] = useState(false);
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [busy, setBusy] = useState(false);
  const existing = candidate.candidate.document!;
  const pushed = candidate.pushed.document!;
  const [keep, merge] = keepPushed ? [pushed, existing] : [existing, pushed];

  useEffect(() => {
    let current = true;
    setComparison(null);
    get<{ data: Comparison }>(`/admin/duplicates/compare/${candidate.kind}?keep=${keep.documentId}&merge=${merge.documentId}`)
      .then(({ data }) => {
        if (!current) return;
        setComparison(data.data);
        setChoices(Object.fromEntries(data.data.fields.filter((field) => field.choices.length > 0 && field.default).map((field) => [choiceKey(field), field.default as Choice])));
      })
      .catch((error) => toggleNotification({ type: 'danger', message: formatMessage({ id: 'duplicates.failed', defaultMessage: 'That did not work: {message}' }, { message: errorMessage(error) }) }));
    return () => {
      current = false;
    };
  }, [candidate.kind, keep.documentId, merge.documentId]);

  const label = (field: ComparedField) => formatMessage({ id: `content-manager.content-types.${UIDS[candidate.kind]}.${field.field}`, defaultMessage: field.field });
  const choiceText = (choice: Choice) => formatMessage({ id: `duplicates.compare.choice.${choice}`, defaultMessage: choice });

  const submit = async () => {
    if (!comparison) return;
    setBusy(true);
    const body: { keep: unknown; merge: unknown; choices: { fields: Record<string, Choice>; locales: Record<string, Record<string, Choice>> } } = {
      keep: { documentId: comparison.keep.documentId, updatedAt: comparison.keep.updatedAt },
      merge: { documentId: comparison.merge.documentId, updatedAt: comparison.merge.updatedAt },
      choices: { fields: {}, locales: {} },
    };
    for (const field of comparison.fields) {
      const choice = choices[choiceKey(field)];
      if (!choice || field.choices.length === 0) continue;
      if (field.locale === null) body.choices.fields[field.field] = choice;
      else (body.choices.locales[field.locale] ??= {})[field.field] = choice;
    }
    try {
      const { data } = await post<{ data: { merge: { mergeRecord: { undoUntil: string } } } }>(`/admin/duplicates/candidates/${candidate.id}/merge`, body);
      toggleNotification({
        type: 'success',
        message: formatMessage({ id: 'duplicates.mergedUndo', defaultMessage: 'Merged. You can undo it until {date}.' }, { date: formatDate(data.data.merge.mergeRecord.undoUntil, { dateStyle: 'medium' }) }),
      });
      await onMerged();
    } catch (error) {
      toggleNotification({ type: 'danger', message: formatMessage({ id: 'duplicates.failed', defaultMessage: 'That did not work: {message}' }, { message: errorMessage(error) }) });
      setBusy(false);
    }
  };

  const differing = comparison?.fields.filter((field) => field.differs) ?? [];
  return (
    <Box background="neutral0" padding={4} marginTop={4} hasRadius shadow="tableShadow">
      <Typography variant="delta" tag="h3">
        {formatMessage({ id: 'duplicates.compare.title', defaultMessage: 'Compare and merge' })}
      </Typography>
      <Box paddingTop={3}>
        <Typography variant="sigma" textColor="neutral600" id={`keep-${candidate.id}`}>
          {formatMessage({ id: 'duplicates.compare.keepWhich', defaultMessage: 'The document to keep' })}
        </Typography>
        <Radio.Group aria-labelledby={`keep-${candidate.id}`} value={keepPushed ? 'pushed' : 'existing'} onValueChange={(value: string) => setKeepPushed(value === 'pushed')}>
          <Radio.Item value="existing">
            {formatMessage({ id: 'duplicates.compare.keepExisting', defaultMessage: 'What we have: {label}' }, { label: existing.label ?? existing.documentId })}
          </Radio.Item>
          <Radio.Item value="pushed">
            {formatMessage({ id: 'duplicates.compare.keepPushed', defaultMessage: 'Pushed by {partner}: {label}' }, { partner: candidate.partner, label: pushed.label ?? pushed.documentId })}
          </Radio.Item>
        </Radio.Group>
      </Box>
      {!comparison ? (
        <Typography>{formatMessage({ id: 'duplicates.loading', defaultMessage: 'Loading…' })}</Typography>
      ) : (
        <>
          {comparison.locales.onlyMerge.length > 0 ? (
            <Box paddingTop={3}>
              <Typography variant="pi">
                {formatMessage({ id: 'duplicates.compare.onlyMerge', defaultMessage: 'Only the other document is in {locales}: that locale becomes the kept one’s as it is.' }, { locales: comparison.locales.onlyMerge.join(', ') })}
              </Typography>
            </Box>
          ) : null}
          <Box paddingTop={3}>
            {differing.length === 0 ? (
              <Typography>{formatMessage({ id: 'duplicates.compare.noDifferences', defaultMessage: 'The two have the same values.' })}</Typography>
            ) : (
              <Table colCount={4} rowCount={differing.length + 1}>
                <Thead>
                  <Tr>
                    <Th>
                      <Typography variant="sigma">{formatMessage({ id: 'duplicates.compare.field', defaultMessage: 'Field' })}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{formatMessage({ id: 'duplicates.compare.kept', defaultMessage: 'Kept: {label}' }, { label: comparison.keep.label ?? '' })}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{formatMessage({ id: 'duplicates.compare.merged', defaultMessage: 'Merged into it: {label}' }, { label: comparison.merge.label ?? '' })}</Typography>
                    </Th>
                    <Th>
                      <Typography variant="sigma">{formatMessage({ id: 'duplicates.compare.choice', defaultMessage: 'Use' })}</Typography>
                    </Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {differing.map((field) => (
                    <Tr key={choiceKey(field)}>
                      <Td>
                        <Flex gap={2}>
                          <Typography fontWeight="bold">{label(field)}</Typography>
                          {field.locale ? <Badge>{field.locale}</Badge> : null}
                        </Flex>
                      </Td>
                      <Td>
                        <Value field={field} value={field.keep?.draft} />
                      </Td>
                      <Td>
                        <Value field={field} value={field.merge?.draft} />
                      </Td>
                      <Td>
                        <Radio.Group
                          aria-label={label(field)}
                          value={choices[choiceKey(field)] ?? field.default ?? 'keep'}
                          onValueChange={(value: string) => setChoices((current) => ({ ...current, [choiceKey(field)]: value as Choice }))}
                        >
                          {field.choices.map((choice) => (
                            <Radio.Item key={choice} value={choice}>
                              {choiceText(choice)}
                            </Radio.Item>
                          ))}
                        </Radio.Group>
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            )}
          </Box>
          <Box paddingTop={2}>
            <Typography variant="pi" textColor="neutral600">
              {formatMessage({
                id: 'duplicates.compare.note',
                defaultMessage: 'What you do not take stays in the merge record, and the merge can be undone. References to the other document move to the kept one.',
              })}
            </Typography>
          </Box>
        </>
      )}
      <Flex gap={2} paddingTop={4} justifyContent="flex-end">
        <Button variant="tertiary" disabled={busy} onClick={onClose}>
          {formatMessage({ id: 'duplicates.compare.cancel', defaultMessage: 'Cancel' })}
        </Button>
        <Button disabled={!comparison || busy} loading={busy} onClick={submit}>
          {formatMessage({ id: 'duplicates.merge', defaultMessage: 'Merge' })}
        </Button>
      </Flex>
    </Box>
  );
}

/** The merges that can still be undone, newest first, each with Undo. */
function RecentMerges({ records, onUndone }: { records: MergeRecord[]; onUndone: () => Promise<void> }) {
  const { formatMessage, formatDate } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [busy, setBusy] = useState<number | null>(null);
  if (records.length === 0) return null;
  const kindOf = (contentType: string) => (Object.entries(UIDS).find(([, uid]) => uid === contentType)?.[0] ?? contentType) as Kind;
  const undo = async (record: MergeRecord) => {
    setBusy(record.id);
    try {
      await post(`/admin/duplicates/merges/${record.id}/undo`, {});
      toggleNotification({ type: 'success', message: formatMessage({ id: 'duplicates.undone', defaultMessage: 'The merge is undone.' }) });
    } catch (error) {
      toggleNotification({ type: 'danger', message: formatMessage({ id: 'duplicates.failed', defaultMessage: 'That did not work: {message}' }, { message: errorMessage(error) }) });
    } finally {
      setBusy(null);
      await onUndone();
    }
  };
  return (
    <Box paddingTop={8}>
      <Typography variant="delta" tag="h2">
        {formatMessage({ id: 'duplicates.recent', defaultMessage: 'Recent merges' })}
      </Typography>
      <Flex direction="column" alignItems="stretch" gap={2} paddingTop={3}>
        {records.map((record) => (
          <Flex key={record.id} justifyContent="space-between" background="neutral0" padding={3} hasRadius>
            <Typography>
              {formatMessage(
                { id: 'duplicates.recent.entry', defaultMessage: '{kind} {merged} merged into {kept}, {date}; can be undone until {until}' },
                {
                  kind: formatMessage({ id: `duplicates.kind.${kindOf(record.contentType)}`, defaultMessage: kindOf(record.contentType) }),
                  merged: record.summary.labels?.merged ?? record.merged,
                  kept: record.summary.labels?.kept ?? record.kept,
                  date: formatDate(record.createdAt, { dateStyle: 'medium', timeStyle: 'short' }),
                  until: formatDate(record.undoUntil, { dateStyle: 'medium' }),
                },
              )}
            </Typography>
            <Button variant="secondary" disabled={busy !== null} loading={busy === record.id} onClick={() => undo(record)}>
              {formatMessage({ id: 'duplicates.undo', defaultMessage: 'Undo' })}
            </Button>
          </Flex>
        ))}
      </Flex>
    </Box>
  );
}

const DuplicatesPage = () => {
  const { formatMessage } = useIntl();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [records, setRecords] = useState<MergeRecord[]>([]);
  const [failed, setFailed] = useState<'forbidden' | 'error' | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [comparing, setComparing] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      const { data } = await get<{ data: Candidate[] }>('/admin/duplicates/candidates');
      setCandidates(data.data);
      const merges = await get<{ data: MergeRecord[] }>('/admin/duplicates/merges?state=undoable');
      setRecords(merges.data.data.slice(0, 20));
    } catch (error: any) {
      // A role without api::partner.review-duplicates (Skribent) can still open the URL: the API answers 403.
      setFailed(error?.status === 403 ? 'forbidden' : 'error');
    }
  }, [get]);

  useEffect(() => {
    void load();
  }, [load]);

  /** A waiting event push: link it to the event we have ("Merge"), or "Not the same". */
  const act = async (candidate: Candidate, action: 'merge' | 'dismiss') => {
    setBusy(candidate.id);
    try {
      const body = action === 'dismiss' ? {} : { keep: { documentId: candidate.candidate.document?.documentId, updatedAt: candidate.candidate.document?.updatedAt } };
      await post(`/admin/duplicates/candidates/${candidate.id}/${action}`, body);
      toggleNotification({
        type: 'success',
        message: formatMessage(action === 'merge' ? { id: 'duplicates.merged', defaultMessage: 'Merged.' } : { id: 'duplicates.dismissed', defaultMessage: 'Marked as not the same.' }),
      });
    } catch (error) {
      toggleNotification({ type: 'danger', message: formatMessage({ id: 'duplicates.failed', defaultMessage: 'That did not work: {message}' }, { message: errorMessage(error) }) });
    } finally {
      setBusy(null);
      await load();
    }
  };

  // The matcher's rule code (e.g. same-start+same-venue-code+similar-title), part by part in the admin's language.
  const ruleText = (rule: string) =>
    rule
      .split('+')
      .map((part) => formatMessage({ id: `duplicates.rulePart.${part}`, defaultMessage: part }))
      .join(' + ');

  if (failed === 'forbidden') return <Page.NoPermissions />;
  if (failed) return <Page.Error />;
  if (!candidates) return <Page.Loading>{formatMessage({ id: 'duplicates.loading', defaultMessage: 'Loading possible duplicates…' })}</Page.Loading>;

  return (
    <Page.Main>
      <Layouts.Header
        title={formatMessage({ id: 'duplicates.title', defaultMessage: 'Possible duplicates' })}
        subtitle={formatMessage({ id: 'duplicates.subtitle', defaultMessage: 'Compare, then merge or dismiss.' })}
      />
      <Layouts.Content>
        {candidates.length === 0 ? (
          <Typography>{formatMessage({ id: 'duplicates.empty', defaultMessage: 'No possible duplicates are waiting.' })}</Typography>
        ) : (
          <Flex direction="column" alignItems="stretch" gap={6}>
            {candidates.map((candidate) => {
              const twoDocuments = Boolean(candidate.pushed.document && candidate.candidate.document);
              return (
                <Box key={candidate.id} padding={4} background="neutral100" hasRadius>
                  <Flex justifyContent="space-between" paddingBottom={3}>
                    <Flex gap={2}>
                      <Badge>{formatMessage({ id: `duplicates.kind.${candidate.kind}`, defaultMessage: candidate.kind })}</Badge>
                      <Typography variant="pi" textColor="neutral600">
                        {formatMessage({ id: 'duplicates.rule', defaultMessage: 'Rule: {rule}, score {score}' }, { rule: ruleText(candidate.rule), score: candidate.score })}
                      </Typography>
                    </Flex>
                    <Flex gap={2}>
                      <Button variant="secondary" disabled={busy !== null || comparing === candidate.id} onClick={() => act(candidate, 'dismiss')}>
                        {formatMessage({ id: 'duplicates.notSame', defaultMessage: 'Not the same' })}
                      </Button>
                      {twoDocuments ? (
                        <Button disabled={busy !== null || comparing === candidate.id} onClick={() => setComparing(candidate.id)}>
                          {formatMessage({ id: 'duplicates.compareAndMerge', defaultMessage: 'Compare and merge' })}
                        </Button>
                      ) : (
                        <Button disabled={busy !== null || !candidate.candidate.document} loading={busy === candidate.id} onClick={() => act(candidate, 'merge')}>
                          {formatMessage({ id: 'duplicates.merge', defaultMessage: 'Merge' })}
                        </Button>
                      )}
                    </Flex>
                  </Flex>
                  <Grid.Root gap={4}>
                    <Grid.Item col={6} s={12} alignItems="stretch">
                      <Side
                        title={formatMessage({ id: 'duplicates.pushed', defaultMessage: 'Pushed by {partner}' }, { partner: candidate.partner })}
                        document={candidate.pushed.document}
                        evidence={candidate.pushed.evidence}
                        notMade={formatMessage({ id: 'duplicates.notMade', defaultMessage: 'Not created yet' })}
                      />
                    </Grid.Item>
                    <Grid.Item col={6} s={12} alignItems="stretch">
                      <Side
                        title={formatMessage({ id: 'duplicates.existing', defaultMessage: 'What we have' })}
                        document={candidate.candidate.document}
                        evidence={candidate.candidate.evidence}
                        notMade=""
                      />
                    </Grid.Item>
                  </Grid.Root>
                  {comparing === candidate.id ? (
                    <MergePanel
                      candidate={candidate}
                      onClose={() => setComparing(null)}
                      onMerged={async () => {
                        setComparing(null);
                        await load();
                      }}
                    />
                  ) : null}
                </Box>
              );
            })}
          </Flex>
        )}
        <RecentMerges records={records} onUndone={load} />
      </Layouts.Content>
    </Page.Main>
  );
};

export default DuplicatesPage;
