import { TOPIC_NAME_PATTERN } from './topic.ts';

/**
 * The shapes of the ids the messages API hands out. A path parameter of another shape names nothing
 * (404) and never reaches the store, where an oversized key would fail as a 500.
 */
const SUBSCRIPTION_ID = /^sub_[A-Za-z0-9_-]{1,64}$/;
const DELIVERY_ID = /^msg_[A-Za-z0-9_-]{27}$/;
/** EventBridge event ids (UUIDs), `pub_…` (publish API), `evt_…` (platform events), `sqs_…` (unreadable events). */
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const TOPIC_NAME = new RegExp(TOPIC_NAME_PATTERN);

export const isSubscriptionId = (id: string): boolean => SUBSCRIPTION_ID.test(id);
export const isDeliveryId = (id: string): boolean => DELIVERY_ID.test(id);
export const isMessageId = (id: string): boolean => MESSAGE_ID.test(id);
export const isTopicName = (name: string): boolean => TOPIC_NAME.test(name);
