/**
 * "Mulige dubletter" / "Possible duplicates": the review queue (src/lib/merge/admin-routes.ts)
 * side by side, with Merge and "Not the same" for each pair. Shown to roles with the
 * `api::partner.review-duplicates` permission (Redaktør, not Skribent).
 */
import { useCallback, useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Badge, Box, Button, Flex, Grid, Typography } from '@strapi/design-system';

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
  kind: 'event' | 'person' | 'organisation';
  rule: string;
  score: number;
  partner: string;
  externalId: string;
  pushed: { document: DocumentSummary | null; evidence: Record<string, any> | null };
  candidate: { document: DocumentSummary | null; evidence: Record<string, any> | null };
}

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

const DuplicatesPage = () => {
  const { formatMessage } = useIntl();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [failed, setFailed] = useState<'forbidden' | 'error' | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      const { data } = await get<{ data: Candidate[] }>('/admin/duplicates/candidates');
      setCandidates(data.data);
    } catch (error: any) {
      // A role without api::partner.review-duplicates (Skribent) can still open the URL: the API answers 403.
      setFailed(error?.status === 403 ? 'forbidden' : 'error');
    }
  }, [get]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (candidate: Candidate, action: 'merge' | 'dismiss') => {
    setBusy(candidate.id);
    try {
      const body =
        action === 'dismiss'
          ? {}
          : candidate.pushed.document
            ? {
                keep: { documentId: candidate.candidate.document?.documentId, updatedAt: candidate.candidate.document?.updatedAt },
                merge: { documentId: candidate.pushed.document.documentId, updatedAt: candidate.pushed.document.updatedAt },
              }
            : { keep: { documentId: candidate.candidate.document?.documentId, updatedAt: candidate.candidate.document?.updatedAt } };
      await post(`/admin/duplicates/candidates/${candidate.id}/${action}`, body);
      toggleNotification({
        type: 'success',
        message: formatMessage(action === 'merge' ? { id: 'duplicates.merged', defaultMessage: 'Merged.' } : { id: 'duplicates.dismissed', defaultMessage: 'Marked as not the same.' }),
      });
    } catch (error: any) {
      const message = error?.response?.data?.error?.message ?? String(error?.message ?? error);
      toggleNotification({ type: 'danger', message: formatMessage({ id: 'duplicates.failed', defaultMessage: 'That did not work: {message}' }, { message }) });
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
            {candidates.map((candidate) => (
              <Box key={candidate.id} padding={4} background="neutral100" hasRadius>
                <Flex justifyContent="space-between" paddingBottom={3}>
                  <Flex gap={2}>
                    <Badge>{formatMessage({ id: `duplicates.kind.${candidate.kind}`, defaultMessage: candidate.kind })}</Badge>
                    <Typography variant="pi" textColor="neutral600">
                      {formatMessage({ id: 'duplicates.rule', defaultMessage: 'Rule: {rule}, score {score}' }, { rule: ruleText(candidate.rule), score: candidate.score })}
                    </Typography>
                  </Flex>
                  <Flex gap={2}>
                    <Button variant="secondary" disabled={busy !== null} onClick={() => act(candidate, 'dismiss')}>
                      {formatMessage({ id: 'duplicates.notSame', defaultMessage: 'Not the same' })}
                    </Button>
                    <Button disabled={busy !== null || !candidate.candidate.document} loading={busy === candidate.id} onClick={() => act(candidate, 'merge')}>
                      {formatMessage({ id: 'duplicates.merge', defaultMessage: 'Merge' })}
                    </Button>
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
              </Box>
            ))}
          </Flex>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export default DuplicatesPage;
