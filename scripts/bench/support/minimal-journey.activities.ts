/** The minimal journey's only activity: the message, a POST to the bench's sink. */
export type MinimalEvent = {
  id: string;
  customerId: string;
  name: string;
  properties: Record<string, unknown>;
};

export function createMinimalActivities(sinkUrl: string) {
  return {
    async deliver(event: MinimalEvent): Promise<void> {
      const res = await fetch(sinkUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: event.id, customerId: event.customerId, name: event.name }),
        signal: AbortSignal.timeout(5_000),
      });
      await res.text();
      if (!res.ok) throw new Error(`sink answered ${res.status}`);
    },
  };
}

export type MinimalActivities = ReturnType<typeof createMinimalActivities>;
