// Integration, replay and e2e tests start real servers: allow them minutes, not the default 5 s.
jest.setTimeout(180_000);
