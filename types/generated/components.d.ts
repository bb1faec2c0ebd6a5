import type { Schema, Struct } from '@strapi/strapi';

export interface BlocksEventTeaser extends Struct.ComponentSchema {
  collectionName: 'components_blocks_event_teasers';
  info: {
    description: 'Points the reader to an event';
    displayName: 'Event teaser';
    icon: 'calendar';
  };
  attributes: {
    callToAction: Schema.Attribute.String &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 80;
      }>;
    event: Schema.Attribute.Relation<'oneToOne', 'api::event.event'>;
    heading: Schema.Attribute.String &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 160;
      }>;
  };
}

export interface BlocksFactBox extends Struct.ComponentSchema {
  collectionName: 'components_blocks_fact_boxes';
  info: {
    description: 'A boxed list of short facts, such as time and place';
    displayName: 'Fact box';
    icon: 'information';
  };
  attributes: {
    facts: Schema.Attribute.Component<'shared.fact', true> &
      Schema.Attribute.SetMinMax<
        {
          min: 1;
        },
        number
      >;
    title: Schema.Attribute.String &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 120;
      }>;
  };
}

export interface BlocksImage extends Struct.ComponentSchema {
  collectionName: 'components_blocks_images';
  info: {
    description: 'An image with caption and credit';
    displayName: 'Image';
    icon: 'picture';
  };
  attributes: {
    alternativeText: Schema.Attribute.String &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 300;
      }>;
    caption: Schema.Attribute.String &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 300;
      }>;
    credit: Schema.Attribute.String &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 120;
      }>;
    image: Schema.Attribute.Media<'images'> & Schema.Attribute.Required;
  };
}

export interface BlocksQuote extends Struct.ComponentSchema {
  collectionName: 'components_blocks_quotes';
  info: {
    description: 'Places a quote (said by a person) in the article body';
    displayName: 'Quote';
    icon: 'quote';
  };
  attributes: {
    quote: Schema.Attribute.Relation<'oneToOne', 'api::quote.quote'>;
  };
}

export interface BlocksRichText extends Struct.ComponentSchema {
  collectionName: 'components_blocks_rich_texts';
  info: {
    description: 'A section of formatted text';
    displayName: 'Rich text';
    icon: 'align-left';
  };
  attributes: {
    body: Schema.Attribute.Blocks & Schema.Attribute.Required;
  };
}

export interface EventsParticipant extends Struct.ComponentSchema {
  collectionName: 'components_events_participants';
  info: {
    description: 'A person taking part in an event, and how';
    displayName: 'Participant';
    icon: 'user';
  };
  attributes: {
    part: Schema.Attribute.Enumeration<['moderator', 'panelist', 'speaker']> &
      Schema.Attribute.Required &
      Schema.Attribute.DefaultTo<'panelist'>;
    person: Schema.Attribute.Relation<'oneToOne', 'api::person.person'>;
  };
}

export interface PeopleAffiliation extends Struct.ComponentSchema {
  collectionName: 'components_people_affiliations';
  info: {
    description: 'A title a person holds at an organisation';
    displayName: 'Affiliation';
    icon: 'briefcase';
  };
  attributes: {
    current: Schema.Attribute.Boolean &
      Schema.Attribute.Required &
      Schema.Attribute.DefaultTo<true>;
    from: Schema.Attribute.Date;
    kind: Schema.Attribute.Enumeration<['employment', 'board', 'other']> &
      Schema.Attribute.Required &
      Schema.Attribute.DefaultTo<'employment'>;
    organisation: Schema.Attribute.Relation<
      'oneToOne',
      'api::organisation.organisation'
    >;
    title: Schema.Attribute.String &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 160;
      }>;
    to: Schema.Attribute.Date;
  };
}

export interface SharedExternalLink extends Struct.ComponentSchema {
  collectionName: 'components_shared_external_links';
  info: {
    description: 'A labelled link to another site';
    displayName: 'External link';
    icon: 'link';
  };
  attributes: {
    label: Schema.Attribute.String &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 160;
      }>;
    url: Schema.Attribute.String &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 2048;
      }>;
  };
}

export interface SharedFact extends Struct.ComponentSchema {
  collectionName: 'components_shared_facts';
  info: {
    description: 'One label/value line of a fact box';
    displayName: 'Fact';
    icon: 'bulletList';
  };
  attributes: {
    label: Schema.Attribute.String &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 80;
      }>;
    value: Schema.Attribute.String &
      Schema.Attribute.Required &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 300;
      }>;
  };
}

export interface SharedSeo extends Struct.ComponentSchema {
  collectionName: 'components_shared_seos';
  info: {
    description: 'What search engines and link previews show';
    displayName: 'SEO';
    icon: 'search';
  };
  attributes: {
    metaDescription: Schema.Attribute.Text &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 200;
      }>;
    metaTitle: Schema.Attribute.String &
      Schema.Attribute.SetMinMaxLength<{
        maxLength: 70;
      }>;
    noIndex: Schema.Attribute.Boolean & Schema.Attribute.DefaultTo<false>;
    shareImage: Schema.Attribute.Media<'images'>;
  };
}

declare module '@strapi/strapi' {
  export namespace Public {
    export interface ComponentSchemas {
      'blocks.event-teaser': BlocksEventTeaser;
      'blocks.fact-box': BlocksFactBox;
      'blocks.image': BlocksImage;
      'blocks.quote': BlocksQuote;
      'blocks.rich-text': BlocksRichText;
      'events.participant': EventsParticipant;
      'people.affiliation': PeopleAffiliation;
      'shared.external-link': SharedExternalLink;
      'shared.fact': SharedFact;
      'shared.seo': SharedSeo;
    }
  }
}
