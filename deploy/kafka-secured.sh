#!/usr/bin/env bash
# The district's Kafka broker (apache/kafka image), secured as devstack secures its own
# (devstack/kafka_security.py): clients sign in with SCRAM-SHA-512 over TLS (SASL_SSL), the
# StandardAuthorizer refuses what no ACL allows, and each principal may do only its part.
#
# Server properties come from the KAFKA_* environment (KAFKA_LOG_DIRS -> log.dirs; "__" is "_"
# and "___" is "-"), and the principals' passwords from the secrets
# /run/secrets/kafka-password-<principal> (or KAFKA_PASSWORD_<PRINCIPAL>). On first start it makes a CA and the broker's certificate (for the host names kafka and localhost) in
# the data volume, puts the CA certificate in the kafka-ca volume for the services, and formats
# the log directory with every principal's SCRAM credential. After each start it creates the
# product's topics and the ACLs (both idempotent).
set -euo pipefail

BIN=/opt/kafka/bin
DATA=/var/lib/kafka/data
TLS=$DATA/tls
CA_DIR=/etc/kafka/secrets  # the kafka-ca volume; the image lets its user write here
CONFIG=/opt/kafka/config/eldercare.properties
ADMIN=/opt/kafka/config/eldercare-admin.properties
READY=/opt/kafka/config/eldercare-ready
PRINCIPALS="admin intake visits allowances operator outside"
SCRAM_LOGIN="org.apache.kafka.common.security.scram.ScramLoginModule required"

password() {
  # a Docker secret (secrets/kafka-password-<principal>), else KAFKA_PASSWORD_<PRINCIPAL>
  local file="/run/secrets/kafka-password-$1" variable="KAFKA_PASSWORD_${1^^}"
  if [ -s "$file" ]; then
    tr -d '\n' < "$file"
  else
    printf '%s' "${!variable:?neither $file nor $variable is set}"
  fi
}

make_keys() {
  [ -f "$TLS/broker.p12" ] && return
  mkdir -p "$TLS" && chmod 700 "$TLS"
  local pass
  pass=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  local store=(-storetype PKCS12 -storepass "$pass")
  local new_key=(-genkeypair -keyalg RSA -keysize 2048 -validity 3650)
  keytool "${new_key[@]}" -alias ca -dname "CN=eldercare district CA" -ext bc:c \
    -keystore "$TLS/ca.p12" "${store[@]}"
  keytool -exportcert -rfc -alias ca -keystore "$TLS/ca.p12" "${store[@]}" -file "$TLS/ca.pem"
  keytool "${new_key[@]}" -alias broker -dname "CN=kafka" -keystore "$TLS/broker.p12" "${store[@]}"
  keytool -certreq -alias broker -keystore "$TLS/broker.p12" "${store[@]}" -file "$TLS/broker.csr"
  keytool -gencert -rfc -alias ca -keystore "$TLS/ca.p12" "${store[@]}" -infile "$TLS/broker.csr" \
    -outfile "$TLS/broker.pem" -validity 3650 -ext SAN=dns:kafka,dns:localhost \
    -ext eku=serverAuth,clientAuth
  keytool -importcert -noprompt -alias ca -file "$TLS/ca.pem" -keystore "$TLS/broker.p12" "${store[@]}"
  keytool -importcert -alias broker -file "$TLS/broker.pem" -keystore "$TLS/broker.p12" "${store[@]}"
  keytool -importcert -noprompt -alias ca -file "$TLS/ca.pem" \
    -keystore "$TLS/truststore.p12" "${store[@]}"
  rm "$TLS/ca.p12" "$TLS/broker.csr" "$TLS/broker.pem"
  printf '%s' "$pass" > "$TLS/store-password" && chmod 600 "$TLS/store-password"
}

write_config() {
  local pass
  pass=$(cat "$TLS/store-password")
  env | grep '^KAFKA_' | grep -v -e '^KAFKA_PASSWORD_' -e '^KAFKA_HEAP_OPTS=' -e '^KAFKA_OPTS=' \
    | while IFS='=' read -r name value; do
        key=$(printf '%s' "${name#KAFKA_}" | tr 'A-Z' 'a-z' \
          | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
        printf '%s=%s\n' "$key" "$value"
      done > "$CONFIG"
  cat >> "$CONFIG" <<PROPERTIES
listener.name.broker.scram-sha-512.sasl.jaas.config=$SCRAM_LOGIN username="admin" password="$(password admin)";
ssl.keystore.type=PKCS12
ssl.keystore.location=$TLS/broker.p12
ssl.keystore.password=$pass
ssl.key.password=$pass
ssl.truststore.type=PKCS12
ssl.truststore.location=$TLS/truststore.p12
ssl.truststore.password=$pass
PROPERTIES
  cat > "$ADMIN" <<PROPERTIES
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$SCRAM_LOGIN username="admin" password="$(password admin)";
ssl.truststore.type=PEM
ssl.truststore.location=$CA_DIR/ca.pem
PROPERTIES
  chmod 600 "$CONFIG" "$ADMIN"
}

format() {
  local scram=()
  for principal in $PRINCIPALS; do
    scram+=(--add-scram "SCRAM-SHA-512=[name=$principal,password=$(password "$principal")]")
  done
  "$BIN/kafka-storage.sh" format --ignore-formatted --cluster-id "$CLUSTER_ID" -c "$CONFIG" \
    "${scram[@]}"
}

allow() {  # allow <principal> <operation> <resource options...>
  local principal=$1 operation=$2
  shift 2
  "$BIN/kafka-acls.sh" --bootstrap-server localhost:9092 --command-config "$ADMIN" --add \
    --allow-principal "User:$principal" --operation "$operation" "$@" > /dev/null
}

grant() {
  for topic in eldercare.inbound eldercare.intake.elders eldercare.intake.contacts \
    eldercare.intake.volunteers eldercare.intake.incidents eldercare.intake.staff \
    eldercare.intake.households eldercare.visits.events \
    eldercare.allowances.events eldercare.deadletter.intake eldercare.deadletter.visits \
    eldercare.deadletter.allowances; do
    "$BIN/kafka-topics.sh" --bootstrap-server localhost:9092 --command-config "$ADMIN" \
      --create --if-not-exists --topic "$topic" --partitions "${KAFKA_TOPIC_PARTITIONS:-3}" \
      --replication-factor "${KAFKA_REPLICATION_FACTOR:-1}"
  done
  "$BIN/kafka-topics.sh" --bootstrap-server localhost:9092 --command-config "$ADMIN" --create \
    --if-not-exists --topic eldercare.ops.deadletter-resolutions --partitions 1 \
    --replication-factor 1 --config cleanup.policy=compact
  allow intake Write --topic eldercare.intake.elders --topic eldercare.intake.contacts \
    --topic eldercare.intake.volunteers --topic eldercare.intake.incidents \
    --topic eldercare.intake.staff --topic eldercare.intake.households \
    --topic eldercare.deadletter.intake --topic eldercare.inbound  # inbound: POST /inbound
  # intake follows its own elders' events to keep their households true, and visits' records
  # for what door-to-door checks found
  allow intake Read --topic eldercare.inbound --topic eldercare.intake.elders \
    --topic eldercare.visits.events --group eldercare-intake
  allow visits Write --topic eldercare.visits.events --topic eldercare.deadletter.visits
  # visits follows households and the grid for worklists and caseloads by building and group,
  # and volunteers for teams and volunteer service; and allowances' approved cycles, whose
  # reports on time the yearly evaluation counts
  allow visits Read --topic eldercare.intake.elders --topic eldercare.intake.contacts \
    --topic eldercare.intake.incidents --topic eldercare.intake.staff \
    --topic eldercare.intake.households --topic eldercare.intake.volunteers \
    --topic eldercare.allowances.events --group eldercare-visits
  allow allowances Write --topic eldercare.allowances.events --topic eldercare.deadletter.allowances
  # allowances follows households for the home-care households its voucher reports count
  allow allowances Read --topic eldercare.intake.elders --topic eldercare.intake.staff \
    --topic eldercare.intake.households --group eldercare-allowances
  allow outside Write --topic eldercare.inbound
  # The console reads every topic and inspects every group of the product; it writes its
  # resolutions and the replays of dead letters into the topics the services consume.
  allow operator Read --resource-pattern-type prefixed --topic eldercare.
  allow operator Describe --resource-pattern-type prefixed --group eldercare-
  allow operator Write --topic eldercare.ops.deadletter-resolutions --topic eldercare.inbound \
    --topic eldercare.intake.elders --topic eldercare.intake.contacts \
    --topic eldercare.intake.incidents --topic eldercare.intake.staff \
    --topic eldercare.intake.households --topic eldercare.intake.volunteers \
    --topic eldercare.allowances.events
  for principal in intake visits allowances outside operator; do
    allow "$principal" IdempotentWrite --cluster
  done
}

make_keys
mkdir -p "$CA_DIR" && cp "$TLS/ca.pem" "$CA_DIR/ca.pem"
write_config
format
rm -f "$READY"
"$BIN/kafka-server-start.sh" "$CONFIG" &
server=$!
trap 'kill -TERM "$server"; wait "$server"' TERM INT
until "$BIN/kafka-topics.sh" --bootstrap-server localhost:9092 --command-config "$ADMIN" \
  --list > /dev/null 2>&1; do
  kill -0 "$server" || exit 1
  sleep 2
done
grant
touch "$READY"
wait "$server"
