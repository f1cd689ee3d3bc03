/**
 * Reply shapes of the ILM, rollover and template APIs, as the Elasticsearch reference prints them
 * (each names its page), for request-shape tests over Elastic's transport mock. Index names are
 * the reference's, or a tenant's where a test needs one.
 */

/** "Explain the lifecycle state" — https://www.elastic.co/guide/en/elasticsearch/reference/current/ilm-explain-lifecycle.html */
export const explainReply = {
  indices: {
    'my-index-000001': {
      index: 'my-index-000001',
      managed: true,
      policy: 'my_policy',
      lifecycle_date_millis: 1538475653281,
      age: '15s',
      phase: 'new',
      action: 'complete',
      step: 'complete',
    },
  },
};

/**
 * A failed step, as "Troubleshooting index lifecycle management errors" shows it —
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/index-lifecycle-error-handling.html
 */
export const explainFailedReply = {
  indices: {
    'my-index-000001': {
      index: 'my-index-000001',
      managed: true,
      policy: 'shrink-index',
      lifecycle_date_millis: 1541717265865,
      age: '5.1d',
      phase: 'warm',
      action: 'shrink',
      step: 'ERROR',
      failed_step: 'shrink',
      step_info: {
        type: 'illegal_argument_exception',
        reason: 'the number of target shards [4] must be less that the number of source shards [2]',
      },
    },
  },
};

/** "Get lifecycle policies" — https://www.elastic.co/guide/en/elasticsearch/reference/current/ilm-get-lifecycle.html (with `in_use_by` filtered out) */
export const getLifecycleReply = {
  my_policy: {
    version: 1,
    modified_date: '2018-10-15T13:45:21.981Z',
    policy: {
      phases: {
        warm: { min_age: '10d', actions: { forcemerge: { max_num_segments: 1 } } },
        delete: { min_age: '30d', actions: { delete: { delete_searchable_snapshot: true } } },
      },
    },
  },
};

/**
 * `POST <index>/_ilm/retry` ("Retry a policy", https://www.elastic.co/guide/en/elasticsearch/reference/current/ilm-retry-policy.html)
 * refused for an index not in an error step, in the error body every API uses ("Common options",
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/common-options.html): `error` with
 * `root_cause`, `type`, `reason`, and `status`.
 */
export const retryRefusedBody = {
  error: {
    root_cause: [{ type: 'illegal_argument_exception', reason: 'cannot retry an action for an index [my-index-000001] that has not encountered an error when running a Lifecycle Policy' }],
    type: 'illegal_argument_exception',
    reason: 'cannot retry an action for an index [my-index-000001] that has not encountered an error when running a Lifecycle Policy',
  },
  status: 400,
};

/**
 * `PUT _ilm/policy/<name>` ("Create or update lifecycle policy", https://www.elastic.co/guide/en/elasticsearch/reference/current/ilm-put-lifecycle.html)
 * refused by the server's parser, in the common error body with a `caused_by` chain.
 */
export const putLifecycleRefusedBody = {
  error: {
    root_cause: [{ type: 'x_content_parse_exception', reason: '[1:73] [shrink] unknown field [number_of_shard]' }],
    type: 'x_content_parse_exception',
    reason: '[1:78] [lifecycle_policy] failed to parse field [phases]',
    caused_by: { type: 'x_content_parse_exception', reason: '[1:73] [shrink] unknown field [number_of_shard]' },
  },
  status: 400,
};

/** "Roll over to a new index" dry run — https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-rollover-index.html */
export const rolloverDryRunReply = {
  acknowledged: false,
  shards_acknowledged: false,
  old_index: 'my-index-2016.10.31-000001',
  new_index: 'my-index-2016.10.31-000002',
  rolled_over: false,
  dry_run: true,
  lazy: false,
  conditions: { '[max_age: 7d]': false, '[max_docs: 1000]': true, '[max_primary_shard_size: 50gb]': false },
};

/** "Get index template" — https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-template.html */
export const indexTemplatesReply = {
  index_templates: [
    {
      name: 'template_1',
      index_template: {
        index_patterns: ['te*'],
        priority: 1,
        composed_of: ['logs-settings'],
        template: { settings: { index: { number_of_shards: '2' } } },
      },
    },
  ],
};

/** "Get component templates" — https://www.elastic.co/guide/en/elasticsearch/reference/current/getting-component-templates.html */
export const componentTemplatesReply = {
  component_templates: [
    { name: 'logs-settings', component_template: { template: { settings: { index: { lifecycle: { name: 'logs' } } } } } },
  ],
};
