// One-shot set-up of the compose MongoDB, run by the `mongo-init` service with
// `mongosh --nodb --file` on every `docker compose up`. Idempotent:
//   1. wait until mongod accepts the root user (the image creates it on first start);
//   2. initiate the single-node replica set unless it already exists;
//   3. wait until this node is the writable primary;
//   4. create or update the application's user: readWrite on MONGODB_DATABASE only,
//      so the bot and the API never hold root (updating also applies a new password).
// Credentials come from the environment and go into a URI built here, so they never
// appear in a process's argument list.

const NOT_YET_INITIALIZED = 94;
const RETRY_PAUSE_MS = 1000;

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set`);
  }
  return value;
}

const settings = {
  replicaSet: required("MONGO_REPLICA_SET"),
  // The host name every client resolves; drivers connect to the members listed here.
  memberHost: required("MONGO_MEMBER_HOST"),
  rootUser: required("MONGO_ROOT_USERNAME"),
  rootPassword: required("MONGO_ROOT_PASSWORD"),
  appUser: required("MONGO_APP_USERNAME"),
  appPassword: required("MONGO_APP_PASSWORD"),
  database: required("MONGODB_DATABASE"),
  timeoutMs: Number(process.env.MONGO_INIT_TIMEOUT_SECONDS || "120") * 1000,
};

if (settings.appUser === settings.rootUser) {
  throw new Error("MONGO_APP_USERNAME must differ from MONGO_ROOT_USERNAME");
}

// Retries `attempt` until it returns a truthy value: mongod restarts once during its
// first start (the image creates the root user on a temporary server), so early
// failures are expected and only the last one is worth reporting.
function retryUntilDeadline(what, attempt) {
  const deadline = Date.now() + settings.timeoutMs;
  let lastProblem = "no answer yet";
  for (;;) {
    try {
      const result = attempt();
      if (result) {
        return result;
      }
    } catch (error) {
      lastProblem = `${error.name}: ${error.message}`;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what} (${lastProblem})`);
    }
    sleep(RETRY_PAUSE_MS);
  }
}

function connectAsRoot() {
  const credentials =
    `${encodeURIComponent(settings.rootUser)}:${encodeURIComponent(settings.rootPassword)}`;
  // directConnection: before initiation the node is in no replica set a driver could discover.
  const uri =
    `mongodb://${credentials}@${settings.memberHost}/admin` +
    "?authSource=admin&directConnection=true&serverSelectionTimeoutMS=2000";
  return retryUntilDeadline("mongod to accept the root user", () => {
    const admin = new Mongo(uri).getDB("admin");
    const status = admin.runCommand({ connectionStatus: 1 });
    return status.authInfo.authenticatedUsers.length > 0 ? admin : null;
  });
}

function isInitiated(admin) {
  try {
    admin.runCommand({ replSetGetStatus: 1 });
    return true;
  } catch (error) {
    if (error.code === NOT_YET_INITIALIZED) {
      return false;
    }
    throw error;
  }
}

function initiateReplicaSet(admin) {
  retryUntilDeadline("the replica set to be initiated", () => {
    if (isInitiated(admin)) {
      return true;
    }
    print(`initiating replica set ${settings.replicaSet} with member ${settings.memberHost}`);
    admin.runCommand({
      replSetInitiate: {
        _id: settings.replicaSet,
        members: [{ _id: 0, host: settings.memberHost }],
      },
    });
    return true;
  });
}

function waitForPrimary(admin) {
  retryUntilDeadline("this node to become the primary", () => {
    const hello = admin.runCommand({ hello: 1 });
    if (hello.setName !== settings.replicaSet || !hello.isWritablePrimary) {
      throw new Error(`set ${hello.setName}, writable primary: ${hello.isWritablePrimary}`);
    }
    return true;
  });
}

function ensureAppUser(admin) {
  const roles = [{ role: "readWrite", db: settings.database }];
  const found = admin.runCommand({ usersInfo: settings.appUser }).users;
  if (found.length === 0) {
    admin.runCommand({ createUser: settings.appUser, pwd: settings.appPassword, roles });
    print(`created user ${settings.appUser} (readWrite on ${settings.database})`);
  } else {
    admin.runCommand({ updateUser: settings.appUser, pwd: settings.appPassword, roles });
    print(`updated user ${settings.appUser} (readWrite on ${settings.database})`);
  }
}

const admin = connectAsRoot();
initiateReplicaSet(admin);
waitForPrimary(admin);
ensureAppUser(admin);
print(`replica set ${settings.replicaSet} ready`);
