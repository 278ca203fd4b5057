//! The console's languages: English, Spanish and Brazilian Portuguese (the course notes'
//! readers speak the last two). Every string lives in one table below, one row per text with
//! all three languages, so a missing translation does not compile.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
    Pt,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::Pt];

    /// Picks the language from a browser tag such as `es-CO` or `pt-BR`; English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        match tag.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("es") => Lang::Es,
            Some("pt") => Lang::Pt,
            _ => Lang::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Pt => "pt-BR",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Pt => "Português (Brasil)",
        }
    }

    pub fn t(self, text: Text) -> &'static str {
        let [en, es, pt] = text.all();
        match self {
            Lang::En => en,
            Lang::Es => es,
            Lang::Pt => pt,
        }
    }
}

macro_rules! texts {
    ($($name:ident => [$en:expr, $es:expr, $pt:expr],)*) => {
        /// Every text the console shows. AWS names (CreateStream, PutRecord, shardId) stay as
        /// AWS spells them in every language, as the AWS console does.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text { $($name,)* }

        impl Text {
            pub fn all(self) -> [&'static str; 3] {
                match self { $(Text::$name => [$en, $es, $pt],)* }
            }
        }

        #[cfg(test)]
        pub const EVERY_TEXT: &[Text] = &[$(Text::$name,)*];
    };
}

texts! {
    Tagline => ["Amazon Kinesis, simulated in your browser", "Amazon Kinesis, simulado en tu navegador", "Amazon Kinesis, simulado no seu navegador"],
    SimulatedTime => ["Simulated time", "Tiempo simulado", "Tempo simulado"],
    SimulatedTimeHint => ["Virtual time of the simulation, in UTC", "Tiempo virtual de la simulación, en UTC", "Tempo virtual da simulação, em UTC"],
    Play => ["Play", "Iniciar", "Iniciar"],
    Pause => ["Pause", "Pausar", "Pausar"],
    PlayHint => ["Run the simulation", "Ejecutar la simulación", "Executar a simulação"],
    PauseHint => ["Pause the simulation", "Pausar la simulación", "Pausar a simulação"],
    StepOne => ["Step +1 s", "Paso +1 s", "Passo +1 s"],
    StepHint => ["Advance 1 s of simulated time", "Avanzar 1 s de tiempo simulado", "Avançar 1 s de tempo simulado"],
    SpeedLabel => ["Simulation speed", "Velocidad de la simulación", "Velocidade da simulação"],
    SpeedRealTime => ["real time", "tiempo real", "tempo real"],
    Speed10 => ["10 s each second", "10 s por segundo", "10 s por segundo"],
    Speed60 => ["1 min each second", "1 min por segundo", "1 min por segundo"],
    Speed600 => ["10 min each second", "10 min por segundo", "10 min por segundo"],
    Speed3600 => ["1 h each second", "1 h por segundo", "1 h por segundo"],
    Language => ["Language", "Idioma", "Idioma"],
    Account => ["Account", "Cuenta", "Conta"],
    Region => ["Region", "Región", "Região"],
    Seed => ["Seed", "Semilla", "Semente"],
    Console => ["Console", "Consola", "Console"],
    DataStreams => ["Data Streams", "Data Streams", "Data Streams"],
    Firehose => ["Firehose", "Firehose", "Firehose"],
    S3 => ["S3", "S3", "S3"],
    Metrics => ["Metrics", "Métricas", "Métricas"],
    VideoStreams => ["Video Streams", "Video Streams", "Video Streams"],
    NoDataStreams => ["No data streams yet.", "Todavía no hay data streams.", "Ainda não há data streams."],
    NoDataStreamsText => ["A data stream is split into shards. Each shard takes in up to 1 MiB/s or 1,000 records/s and serves 2 MiB/s to its readers.",
        "Un data stream se divide en shards. Cada shard recibe hasta 1 MiB/s o 1.000 registros/s y entrega 2 MiB/s a sus lectores.",
        "Um data stream é dividido em shards. Cada shard recebe até 1 MiB/s ou 1.000 registros/s e entrega 2 MiB/s aos seus leitores."],
    NoDeliveryStreams => ["No delivery streams yet.", "Todavía no hay delivery streams.", "Ainda não há delivery streams."],
    NoDeliveryStreamsText => ["A delivery stream buffers records and writes them to S3 under prefix/YYYY/MM/DD/HH/.",
        "Un delivery stream acumula registros en un búfer y los escribe en S3 bajo prefijo/YYYY/MM/DD/HH/.",
        "Um delivery stream acumula registros em buffer e os grava no S3 em prefixo/YYYY/MM/DD/HH/."],
    NoBuckets => ["No buckets yet.", "Todavía no hay buckets.", "Ainda não há buckets."],
    NoBucketsText => ["Objects that Firehose delivers appear here, to browse, open and download.",
        "Los objetos que entrega Firehose aparecen aquí para navegar, abrir y descargar.",
        "Os objetos que o Firehose entrega aparecem aqui para navegar, abrir e baixar."],
    NoMetrics => ["No metrics yet.", "Todavía no hay métricas.", "Ainda não há métricas."],
    NoMetricsText => ["CloudWatch metrics per minute of simulated time: incoming records and bytes, throttled calls, iterator age.",
        "Métricas de CloudWatch por minuto de tiempo simulado: registros y bytes entrantes, llamadas limitadas, antigüedad del iterador.",
        "Métricas do CloudWatch por minuto de tempo simulado: registros e bytes de entrada, chamadas limitadas, idade do iterador."],
    // Firehose and S3 console
    Objects => ["Objects", "Objetos", "Objetos"],
    Object => ["Object", "Objeto", "Objeto"],
    Folder => ["Folder", "Carpeta", "Pasta"],
    Type => ["Type", "Tipo", "Tipo"],
    LastModified => ["Last modified", "Última modificación", "Última modificação"],
    BucketName => ["Bucket name", "Nombre del bucket", "Nome do bucket"],
    CreateBucket => ["Create bucket", "Crear bucket", "Criar bucket"],
    NoObjectsHere => ["No objects under this prefix yet. Firehose writes when a buffer flushes.",
        "Todavía no hay objetos bajo este prefijo. Firehose escribe cuando se vacía un búfer.",
        "Ainda não há objetos neste prefixo. O Firehose grava quando um buffer é esvaziado."],
    JsonRecords => ["JSON records", "registros JSON", "registros JSON"],
    Columns => ["columns", "columnas", "colunas"],
    Rows => ["rows", "filas", "linhas"],
    BinaryObject => ["Binary content", "Contenido binario", "Conteúdo binário"],
    Download => ["Download", "Descargar", "Baixar"],
    Unpacked => ["Unpacked from", "Descomprimido de", "Descompactado de"],
    CreateDeliveryStream => ["Create delivery stream", "Crear delivery stream", "Criar delivery stream"],
    SourceAndName => ["Source and name", "Origen y nombre", "Origem e nome"],
    Source => ["Source", "Origen", "Origem"],
    KinesisDataStream => ["Kinesis data stream", "Kinesis data stream", "Kinesis data stream"],
    DeliveryStreamName => ["Delivery stream name", "Nombre del delivery stream", "Nome do delivery stream"],
    TransformRecords => ["Transform records", "Transformar registros", "Transformar registros"],
    TransformWithLambda => ["Turn on data transformation with AWS Lambda", "Activar la transformación de datos con AWS Lambda", "Ativar a transformação de dados com o AWS Lambda"],
    LambdaFunction => ["Lambda function", "Función Lambda", "Função Lambda"],
    ConvertFormat => ["Convert record format", "Convertir el formato de registro", "Converter o formato do registro"],
    OutputFormat => ["Output format", "Formato de salida", "Formato de saída"],
    Disabled => ["Disabled", "Desactivado", "Desativado"],
    GlueColumns => ["Glue table columns (one `name type` per line)", "Columnas de la tabla de Glue (una `nombre tipo` por línea)", "Colunas da tabela do Glue (uma `nome tipo` por linha)"],
    CreateGlueTable => ["Create Glue table", "Crear tabla de Glue", "Criar tabela do Glue"],
    ConversionHint => ["With conversion, SizeInMBs must be 64 to 128 MiB; the interval still flushes the buffer.",
        "Con conversión, SizeInMBs debe estar entre 64 y 128 MiB; el intervalo sigue vaciando el búfer.",
        "Com conversão, SizeInMBs deve ficar entre 64 e 128 MiB; o intervalo continua esvaziando o buffer."],
    DestinationS3 => ["Destination S3 bucket", "Bucket S3 de destino", "Bucket S3 de destino"],
    NewBucket => ["New bucket", "Bucket nuevo", "Novo bucket"],
    PrefixHint => ["Without !{timestamp:...} in Prefix, Firehose appends YYYY/MM/DD/HH/ (UTC). End the prefix with / to make it a folder.",
        "Sin !{timestamp:...} en Prefix, Firehose agrega YYYY/MM/DD/HH/ (UTC). Termina el prefijo en / para que sea una carpeta.",
        "Sem !{timestamp:...} no Prefix, o Firehose acrescenta YYYY/MM/DD/HH/ (UTC). Termine o prefixo com / para que seja uma pasta."],
    NextObjectKey => ["Next object key", "Clave del próximo objeto", "Chave do próximo objeto"],
    NextErrorKey => ["Next error object key", "Clave del próximo objeto de error", "Chave do próximo objeto de erro"],
    BufferHints => ["Buffer hints, compression and logging", "Sugerencias de búfer, compresión y registros", "Dicas de buffer, compactação e logs"],
    BufferRanges => ["SizeInMBs 1 to 128 MiB, IntervalInSeconds 0 to 900 s: the buffer flushes at whichever comes first.",
        "SizeInMBs de 1 a 128 MiB, IntervalInSeconds de 0 a 900 s: el búfer se vacía con lo que ocurra primero.",
        "SizeInMBs de 1 a 128 MiB, IntervalInSeconds de 0 a 900 s: o buffer é esvaziado pelo que ocorrer primeiro."],
    BufferRangesConversion => ["With format conversion: SizeInMBs 64 to 128 MiB, IntervalInSeconds 0 to 900 s; whichever comes first flushes.",
        "Con conversión de formato: SizeInMBs de 64 a 128 MiB, IntervalInSeconds de 0 a 900 s; se vacía con lo que ocurra primero.",
        "Com conversão de formato: SizeInMBs de 64 a 128 MiB, IntervalInSeconds de 0 a 900 s; esvazia com o que ocorrer primeiro."],
    ErrorLogging => ["CloudWatch error logging", "Registro de errores en CloudWatch", "Log de erros no CloudWatch"],
    IamRole => ["IAM role", "Rol de IAM", "Função do IAM"],
    RoleName => ["Role name (created, or replaced if it exists)", "Nombre del rol (se crea, o se reemplaza si existe)", "Nome da função (criada, ou substituída se existir)"],
    AllowedActions => ["Allowed actions (one per line)", "Acciones permitidas (una por línea)", "Ações permitidas (uma por linha)"],
    RoleHint => ["Remove s3:PutObject or lambda:InvokeFunction to see Firehose fail and write to the error output.",
        "Quita s3:PutObject o lambda:InvokeFunction para ver fallar a Firehose y escribir en la salida de errores.",
        "Remova s3:PutObject ou lambda:InvokeFunction para ver o Firehose falhar e gravar na saída de erros."],
    Review => ["Review", "Revisar", "Revisar"],
    ProblemsToFix => ["problems to fix", "problemas por corregir", "problemas a corrigir"],
    Delivered => ["Delivered", "Entregados", "Entregues"],
    Configuration => ["Configuration", "Configuración", "Configuração"],
    BufferFill => ["Buffer fill", "Llenado del búfer", "Preenchimento do buffer"],
    LambdaBuffer => ["Lambda processor buffer", "Búfer del procesador Lambda", "Buffer do processador Lambda"],
    S3Buffer => ["S3 buffer", "Búfer de S3", "Buffer do S3"],
    BufferEmpty => ["Empty: the next record starts the interval", "Vacío: el próximo registro inicia el intervalo", "Vazio: o próximo registro inicia o intervalo"],
    NextFlushBy => ["Next flush by", "Próximo vaciado por", "Próximo esvaziamento por"],
    Records => ["Records", "Registros", "Registros"],
    Accepted => ["Accepted", "Aceptados", "Aceitos"],
    Errored => ["To error output", "A la salida de errores", "Para a saída de erros"],
    Dropped => ["Dropped", "Descartados", "Descartados"],
    NoLogEvents => ["No delivery errors logged.", "No hay errores de entrega registrados.", "Nenhum erro de entrega registrado."],
    GuidedLesson => ["Guided lesson", "Lección guiada", "Lição guiada"],
    LessonStream => ["Create the data stream test_kinesis_stream", "Crea el data stream test_kinesis_stream", "Crie o data stream test_kinesis_stream"],
    LessonStreamHint => ["Press \"Create data stream\", name it test_kinesis_stream and keep 1 shard: 1,000 records/s or 1 MiB/s are plenty for the test.",
        "Presiona \"Crear data stream\", llámalo test_kinesis_stream y deja 1 shard: 1.000 registros/s o 1 MiB/s bastan para la prueba.",
        "Pressione \"Criar data stream\", chame-o de test_kinesis_stream e mantenha 1 shard: 1.000 registros/s ou 1 MiB/s bastam para o teste."],
    LessonProducer => ["Add a producer of tweets", "Agrega un productor de tweets", "Adicione um produtor de tweets"],
    LessonProducerHint => ["On the stream's page, choose the tweets generator, a rate such as 20 records/s, and add it.",
        "En la página del stream, elige el generador tweets, una tasa como 20 registros/s, y agrégalo.",
        "Na página do stream, escolha o gerador tweets, uma taxa como 20 registros/s, e adicione-o."],
    LessonTransform => ["Create the delivery stream with transform_to_json", "Crea el delivery stream con transform_to_json", "Crie o delivery stream com transform_to_json"],
    LessonTransformHint => ["Back on the console, press \"Create delivery stream\", take test_kinesis_stream as source, and turn on the Lambda transform transform_to_json ($LATEST) with a 60 s buffer interval.",
        "De vuelta en la consola, presiona \"Crear delivery stream\", toma test_kinesis_stream como origen y activa la transformación Lambda transform_to_json ($LATEST) con un Buffer interval de 60 s.",
        "De volta ao console, pressione \"Criar delivery stream\", use test_kinesis_stream como origem e ative a transformação Lambda transform_to_json ($LATEST) com Buffer interval de 60 s."],
    LessonParquet => ["Convert to Parquet with the Glue table tweets_json", "Convierte a Parquet con la tabla de Glue tweets_json", "Converta para Parquet com a tabela do Glue tweets_json"],
    LessonParquetHint => ["Choose Apache Parquet, database kinesis_db and table tweets_json; create the table from the editor if it is missing.",
        "Elige Apache Parquet, la base de datos kinesis_db y la tabla tweets_json; crea la tabla desde el editor si falta.",
        "Escolha Apache Parquet, o banco kinesis_db e a tabela tweets_json; crie a tabela pelo editor se faltar."],
    LessonDestination => ["Bucket, prefix carpeta_tweests_exitosos/, logs, role, create", "Bucket, prefijo carpeta_tweests_exitosos/, logs, rol, crear", "Bucket, prefixo carpeta_tweests_exitosos/, logs, função, criar"],
    LessonDestinationHint => ["Create or pick a bucket, set Prefix carpeta_tweests_exitosos/ (the slash matters) and an error prefix, SizeInMBs 64 and IntervalInSeconds 60, keep CloudWatch logging on and a role with S3 and Lambda access, then press \"Create delivery stream\".",
        "Crea o elige un bucket, pon Prefix carpeta_tweests_exitosos/ (el slash es importante) y un prefijo de errores, SizeInMBs 64 e IntervalInSeconds 60, deja activos los logs de CloudWatch y un rol con acceso a S3 y Lambda, y presiona \"Crear delivery stream\".",
        "Crie ou escolha um bucket, defina Prefix carpeta_tweests_exitosos/ (a barra importa) e um prefixo de erros, SizeInMBs 64 e IntervalInSeconds 60, mantenha os logs do CloudWatch e uma função com acesso ao S3 e ao Lambda, e pressione \"Criar delivery stream\"."],
    LessonRun => ["Let time run past the 60 s interval", "Deja correr el tiempo más allá del intervalo de 60 s", "Deixe o tempo passar do intervalo de 60 s"],
    LessonRunHint => ["Pick 1 min each second and press Play: when the interval ends, Firehose writes the buffer to S3.",
        "Elige 1 min por segundo y presiona Iniciar: al terminar el intervalo, Firehose escribe el búfer en S3.",
        "Escolha 1 min por segundo e pressione Iniciar: ao fim do intervalo, o Firehose grava o buffer no S3."],
    LessonObject => ["Open the newest object in S3", "Abre el objeto más reciente en S3", "Abra o objeto mais recente no S3"],
    LessonObjectHint => ["Open the bucket and follow carpeta_tweests_exitosos/ → year → month → day → hour, then open the object and download it.",
        "Abre el bucket y sigue carpeta_tweests_exitosos/ → año → mes → día → hora; luego abre el objeto y descárgalo.",
        "Abra o bucket e siga carpeta_tweests_exitosos/ → ano → mês → dia → hora; depois abra o objeto e baixe-o."],
    LessonDone => ["Done: the tweets went from Kinesis through Lambda and Firehose to Parquet in S3.",
        "Listo: los tweets fueron de Kinesis por Lambda y Firehose a Parquet en S3.",
        "Pronto: os tweets foram do Kinesis pelo Lambda e Firehose para Parquet no S3."],
    Name => ["Name", "Nombre", "Nome"],
    Status => ["Status", "Estado", "Status"],
    State => ["State", "Estado", "Estado"],
    Created => ["Created", "Creado", "Criado"],
    CapacityMode => ["Capacity mode", "Modo de capacidad", "Modo de capacidade"],
    OpenShards => ["Open shards", "Shards abiertos", "Shards abertos"],
    Retention => ["Retention", "Retención", "Retenção"],
    Shards => ["Shards", "Shards", "Shards"],
    CreateDataStream => ["Create data stream", "Crear data stream", "Criar data stream"],
    DataStreamConfiguration => ["Data stream configuration", "Configuración del data stream", "Configuração do data stream"],
    DataStreamName => ["Data stream name", "Nombre del data stream", "Nome do data stream"],
    NameRules => ["1 to 128 characters: letters, digits, underscore (_), hyphen (-) and period (.). Unique in this account and Region.",
        "De 1 a 128 caracteres: letras, dígitos, guion bajo (_), guion (-) y punto (.). Único en esta cuenta y región.",
        "De 1 a 128 caracteres: letras, dígitos, sublinhado (_), hífen (-) e ponto (.). Único nesta conta e região."],
    DataStreamCapacity => ["Data stream capacity", "Capacidad del data stream", "Capacidade do data stream"],
    OnDemand => ["On-demand", "Bajo demanda", "Sob demanda"],
    OnDemandExplained => ["No shards to manage: starts at 4 MiB/s in and 8 MiB/s out and scales to double the peak of the last 30 days.",
        "Sin shards que administrar: empieza con 4 MiB/s de entrada y 8 MiB/s de salida y escala hasta el doble del pico de los últimos 30 días.",
        "Sem shards para gerenciar: começa com 4 MiB/s de entrada e 8 MiB/s de saída e escala até o dobro do pico dos últimos 30 dias."],
    Provisioned => ["Provisioned", "Aprovisionado", "Provisionado"],
    ProvisionedExplained => ["You choose the number of shards; each adds 1 MiB/s or 1,000 records/s in and 2 MiB/s out.",
        "Tú eliges el número de shards; cada uno suma 1 MiB/s o 1.000 registros/s de entrada y 2 MiB/s de salida.",
        "Você escolhe o número de shards; cada um soma 1 MiB/s ou 1.000 registros/s de entrada e 2 MiB/s de saída."],
    ProvisionedShards => ["Provisioned shards", "Shards aprovisionados", "Shards provisionados"],
    WriteCapacity => ["Write capacity", "Capacidad de escritura", "Capacidade de gravação"],
    ReadCapacity => ["Read capacity (shared by polling readers)", "Capacidad de lectura (compartida por los lectores)", "Capacidade de leitura (compartilhada pelos leitores)"],
    RecordsPerSecond => ["records/s", "registros/s", "registros/s"],
    CreatingExplained => ["AWS is creating the shards; writes and reads are refused until the stream is ACTIVE.",
        "AWS está creando los shards; escrituras y lecturas se rechazan hasta que el stream esté ACTIVE.",
        "A AWS está criando os shards; gravações e leituras são recusadas até o stream ficar ACTIVE."],
    StreamGone => ["This data stream does not exist (any more)", "Este data stream no existe (ya)", "Este data stream não existe (mais)"],
    HashKeySpace => ["Hash key space", "Espacio de hash keys", "Espaço de hash keys"],
    HashKeySpaceExplained => ["Each record's partition key is hashed with MD5 to a number from 0 to 2^128 − 1; the open shard whose range holds it takes the record. Dots are the records of the last 5 s.",
        "La partition key de cada registro se convierte con MD5 en un número de 0 a 2^128 − 1; el shard abierto cuyo rango lo contiene recibe el registro. Los puntos son los registros de los últimos 5 s.",
        "A partition key de cada registro vira, com MD5, um número de 0 a 2^128 − 1; o shard aberto cujo intervalo o contém recebe o registro. Os pontos são os registros dos últimos 5 s."],
    PartitionKey => ["Partition key", "Partition key", "Partition key"],
    HashKey128 => ["128-bit hash key", "Hash key de 128 bits", "Hash key de 128 bits"],
    LandsOn => ["Lands on", "Cae en", "Vai para"],
    NoOpenShard => ["no open shard (the stream is not ACTIVE yet)", "ningún shard abierto (el stream aún no está ACTIVE)", "nenhum shard aberto (o stream ainda não está ACTIVE)"],
    ShardHeat => ["Shard heat", "Calor de los shards", "Calor dos shards"],
    ShardHeatExplained => ["Writes each open shard accepted over the last 2 s against its limits: 1 MiB/s and 1,000 records/s. Beyond either, writes are throttled.",
        "Escrituras que cada shard abierto aceptó en los últimos 2 s frente a sus límites: 1 MiB/s y 1.000 registros/s. Por encima de cualquiera, las escrituras se limitan.",
        "Gravações que cada shard aberto aceitou nos últimos 2 s frente aos limites: 1 MiB/s e 1.000 registros/s. Acima de qualquer um, as gravações são limitadas."],
    ThrottledThisMinute => ["throttled this minute", "limitados en este minuto", "limitados neste minuto"],
    WithinLimits => ["within limits", "dentro de los límites", "dentro dos limites"],
    StoredRecords => ["Stored records", "Registros guardados", "Registros armazenados"],
    InRate => ["In", "Entrada", "Entrada"],
    OutRate => ["Out", "Salida", "Saída"],
    Throttled => ["Throttled (write / read)", "Limitados (escritura / lectura)", "Limitados (gravação / leitura)"],
    TimeRange => ["Time range", "Rango de tiempo", "Intervalo de tempo"],
    DataViewer => ["Data viewer", "Visor de datos", "Visualizador de dados"],
    NextPage => ["GetRecords (next page)", "GetRecords (página siguiente)", "GetRecords (próxima página)"],
    ShardEnded => ["End of a closed shard: no NextShardIterator. Continue with its child shards.",
        "Fin de un shard cerrado: no hay NextShardIterator. Continúa con sus shards hijos.",
        "Fim de um shard fechado: não há NextShardIterator. Continue com os shards filhos."],
    NoRecordsThisPage => ["No records in this page.", "No hay registros en esta página.", "Não há registros nesta página."],
    Actions => ["Actions", "Acciones", "Ações"],
    Send => ["Send", "Enviar", "Enviar"],
    Split => ["Split", "Dividir", "Dividir"],
    SplitHint => ["Empty NewStartingHashKey: the middle of the shard's range, as AWS's guide suggests. Records never move: the parent closes and keeps its data until retention ends.",
        "NewStartingHashKey vacío: la mitad del rango del shard, como sugiere la guía de AWS. Los registros nunca se mueven: el padre se cierra y conserva sus datos hasta que vence la retención.",
        "NewStartingHashKey vazio: o meio do intervalo do shard, como sugere o guia da AWS. Os registros nunca se movem: o pai fecha e mantém seus dados até o fim da retenção."],
    Merge => ["Merge", "Fusionar", "Mesclar"],
    Apply => ["Apply", "Aplicar", "Aplicar"],
    Increase => ["Increase", "Aumentar", "Aumentar"],
    Decrease => ["Decrease", "Disminuir", "Diminuir"],
    Switch => ["Switch", "Cambiar", "Trocar"],
    Register => ["Register", "Registrar", "Registrar"],
    Delete => ["Delete", "Eliminar", "Excluir"],
    EventLog => ["Event log", "Registro de eventos", "Registro de eventos"],
    NoEvents => ["Nothing has happened yet.", "Todavía no ha pasado nada.", "Nada aconteceu ainda."],
    EventActive => ["is ACTIVE", "está ACTIVE", "está ACTIVE"],
    EventUpdated => ["update complete, ACTIVE again", "actualización completa, de nuevo ACTIVE", "atualização concluída, ACTIVE de novo"],
    EventDeleted => ["deleted", "eliminado", "excluído"],
    EventWriteThrottled => ["writes throttled (ProvisionedThroughputExceededException)", "escrituras limitadas (ProvisionedThroughputExceededException)", "gravações limitadas (ProvisionedThroughputExceededException)"],
    EventReadThrottled => ["GetRecords calls throttled: the shard's 5 reads/s or 2 MiB/s are spent", "llamadas GetRecords limitadas: se agotaron las 5 lecturas/s o 2 MiB/s del shard", "chamadas GetRecords limitadas: as 5 leituras/s ou 2 MiB/s do shard se esgotaram"],
    EventResharded => ["Resharded", "Reparticionado", "Reparticionado"],
    EventRecordsExpired => ["records expired (past the retention period)", "registros expirados (pasado el período de retención)", "registros expirados (após o período de retenção)"],
    EventShardExpired => ["EXPIRED: closed, and all its data is past retention", "EXPIRED: cerrado y todos sus datos pasaron la retención", "EXPIRED: fechado e todos os dados passaram da retenção"],
    VideoProducer => ["Producer: camera", "Productor: cámara", "Produtor: câmera"],
    VideoConsumer => ["Consumer: HLS playback", "Consumidor: reproducción HLS", "Consumidor: reprodução HLS"],
    FragmentLength => ["Fragment length", "Duración del fragmento", "Duração do fragmento"],
    StartRecording => ["● Start recording", "● Iniciar grabación", "● Iniciar gravação"],
    StopRecording => ["■ Stop recording", "■ Detener grabación", "■ Parar gravação"],
    UseWebcam => ["Use my webcam instead", "Usar mi cámara web", "Usar minha webcam"],
    WebcamHint => ["Your browser asks for permission first. The video never leaves this tab.", "Tu navegador pedirá permiso primero. El video nunca sale de esta pestaña.", "Seu navegador pedirá permissão primeiro. O vídeo nunca sai desta aba."],
    RecordingExplained => ["Each fragment is its own MediaRecorder recording, so it starts with a key frame and plays on its own. Recording follows the simulated clock: it pauses when the simulation pauses.",
        "Cada fragmento es una grabación propia de MediaRecorder: empieza con un fotograma clave y se reproduce solo. La grabación sigue el reloj simulado: se pausa cuando la simulación se pausa.",
        "Cada fragmento é uma gravação própria do MediaRecorder: começa com um quadro-chave e toca sozinho. A gravação segue o relógio simulado: pausa quando a simulação pausa."],
    RecordingAs => ["Recording as", "Grabando como", "Gravando como"],
    FragmentsPut => ["fragments put (PutMedia)", "fragmentos enviados (PutMedia)", "fragmentos enviados (PutMedia)"],
    LastAck => ["last ack", "último ack", "último ack"],
    NoFragments => ["No fragments yet. Start the camera to record some.", "Todavía no hay fragmentos. Inicia la cámara para grabar.", "Ainda não há fragmentos. Inicie a câmera para gravar."],
    Length => ["Length", "Duración", "Duração"],
    Size => ["Size", "Tamaño", "Tamanho"],
    CodecTrack1 => ["Codec (track 1)", "Códec (pista 1)", "Codec (faixa 1)"],
    NewestShown => ["Newest fragments shown / retained:", "Fragmentos más recientes mostrados / retenidos:", "Fragmentos mais recentes mostrados / retidos:"],
    NoVideoStreams => ["No video streams yet.", "Todavía no hay video streams.", "Ainda não há video streams."],
    VideoStreamsText => ["A video stream stores media from a camera as fragments, kept for its retention period, and plays them back through HLS sessions.",
        "Un video stream guarda el video de una cámara como fragmentos durante su período de retención y los reproduce mediante sesiones HLS.",
        "Um video stream guarda o vídeo de uma câmera como fragmentos durante o período de retenção e os reproduz por sessões HLS."],
    Fragments => ["Fragments", "Fragmentos", "Fragmentos"],
    Stored => ["Stored", "Guardado", "Armazenado"],
    StreamName => ["Stream name", "Nombre del stream", "Nome do stream"],
    DataRetentionHours => ["Data retention (hours)", "Retención de datos (horas)", "Retenção de dados (horas)"],
    RetentionZeroHint => ["0 keeps no data: live only, and HLS refuses the stream", "0 no guarda datos: solo en vivo, y HLS rechaza el stream", "0 não guarda dados: só ao vivo, e o HLS recusa o stream"],
    CreateVideoStream => ["Create video stream", "Crear video stream", "Criar video stream"],
    ExpiresHint => ["300 to 43,200 seconds", "De 300 a 43.200 segundos", "De 300 a 43.200 segundos"],
    MaxResultsHint => ["1 to 5,000; default 5 for LIVE and LIVE_REPLAY, 1,000 for ON_DEMAND", "De 1 a 5.000; por defecto 5 en LIVE y LIVE_REPLAY, 1.000 en ON_DEMAND", "De 1 a 5.000; padrão 5 em LIVE e LIVE_REPLAY, 1.000 em ON_DEMAND"],
    DiscontinuityHint => ["Default: ALWAYS with SERVER_TIMESTAMP, NEVER with PRODUCER_TIMESTAMP", "Por defecto: ALWAYS con SERVER_TIMESTAMP, NEVER con PRODUCER_TIMESTAMP", "Padrão: ALWAYS com SERVER_TIMESTAMP, NEVER com PRODUCER_TIMESTAMP"],
    MpegTsNote => ["Kinesim plays FRAGMENTED_MP4 sessions. This MPEG_TS playlist is real, but the browser build has no TS packager, so the player below stays with the recorded fMP4.",
        "Kinesim reproduce sesiones FRAGMENTED_MP4. Esta playlist MPEG_TS es real, pero la versión web no tiene empaquetador TS, así que el reproductor usa el fMP4 grabado.",
        "O Kinesim reproduz sessões FRAGMENTED_MP4. Esta playlist MPEG_TS é real, mas a versão web não tem empacotador TS, então o player usa o fMP4 gravado."],
    MediaPlaylist => ["Media playlist (GetHLSMediaPlaylist)", "Playlist de medios (GetHLSMediaPlaylist)", "Playlist de mídia (GetHLSMediaPlaylist)"],
    FragmentsReceived => ["Fragments received", "Fragmentos recibidos", "Fragmentos recebidos"],
    ListedInPlaylist => ["Listed in playlist", "En la playlist", "Na playlist"],
    PlaybackPosition => ["Playback position", "Posición de reproducción", "Posição de reprodução"],
    MediaType => ["Media type", "Tipo de medio", "Tipo de mídia"],
    Version => ["Version", "Versión", "Versão"],
    DataRetention => ["Data retention", "Retención de datos", "Retenção de dados"],
    NothingStoredNote => ["nothing is stored; HLS answers NoDataRetentionException", "no se guarda nada; HLS responde NoDataRetentionException", "nada é armazenado; o HLS responde NoDataRetentionException"],
    Retained => ["Retained", "Retenido", "Retido"],
    OldestFragment => ["Oldest fragment", "Fragmento más antiguo", "Fragmento mais antigo"],
    ProducerTime => ["producer time", "hora del productor", "hora do produtor"],
    ChangeRetentionBy => ["Change retention by (hours)", "Cambiar la retención en (horas)", "Alterar a retenção em (horas)"],
    RetentionDeletesNote => ["Fragments older than the retention period are deleted as simulated time passes.", "Los fragmentos más antiguos que la retención se borran a medida que pasa el tiempo simulado.", "Fragmentos mais antigos que a retenção são apagados conforme o tempo simulado passa."],
    FragmentsListFragments => ["Fragments (ListFragments)", "Fragmentos (ListFragments)", "Fragmentos (ListFragments)"],
    VideoStreamGone => ["This video stream does not exist (any more)", "Este video stream no existe (ya)", "Este video stream não existe (mais)"],
    Producers => ["Producers", "Productores", "Produtores"],
    Producer => ["Producer", "Productor", "Produtor"],
    Generator => ["Records", "Registros", "Registros"],
    RatePerSecond => ["Records per second", "Registros por segundo", "Registros por segundo"],
    KeyStrategy => ["Partition keys", "Partition keys", "Partition keys"],
    DeliveryMode => ["Delivery", "Envío", "Envio"],
    AddProducer => ["Add producer", "Agregar productor", "Adicionar produtor"],
    Rate => ["Rate", "Tasa", "Taxa"],
    Keys => ["Keys", "Claves", "Chaves"],
    Succeeded => ["Succeeded", "Exitosos", "Com sucesso"],
    ThrottledShort => ["Throttled", "Limitados", "Limitados"],
    Retried => ["Retried", "Reintentados", "Reenviados"],
    Failed => ["Failed", "Fallidos", "Falhos"],
    InFlight => ["In flight", "En vuelo", "Em trânsito"],
    Latency => ["Latency", "Latencia", "Latência"],
    Start => ["Start", "Iniciar", "Iniciar"],
    Stop => ["Stop", "Detener", "Parar"],
    Remove => ["Remove", "Quitar", "Remover"],
    Consumers => ["Consumers", "Consumidores", "Consumidores"],
    ConsumerKind => ["Consumer", "Consumidor", "Consumidor"],
    AddConsumer => ["Add consumer", "Agregar consumidor", "Adicionar consumidor"],
    ConsumersExplained => ["polling, kcl and lambda share each shard's 5 reads/s and 2 MiB/s; fanout gets its own 2 MiB/s per shard through SubscribeToShard.",
        "polling, kcl y lambda comparten las 5 lecturas/s y 2 MiB/s de cada shard; fanout recibe sus propios 2 MiB/s por shard con SubscribeToShard.",
        "polling, kcl e lambda compartilham as 5 leituras/s e 2 MiB/s de cada shard; fanout recebe seus próprios 2 MiB/s por shard com SubscribeToShard."],
    Processed => ["Processed", "Procesados", "Processados"],
    IteratorAge => ["Iterator age", "Antigüedad del iterador", "Idade do iterador"],
    Duplicates => ["Duplicates", "Duplicados", "Duplicados"],
    ReadThrottledShort => ["Read throttled", "Lecturas limitadas", "Leituras limitadas"],
    Lost => ["Lost to retention", "Perdidos por retención", "Perdidos pela retenção"],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags_pick_the_language() {
        assert_eq!(Lang::from_tag("es-CO"), Lang::Es);
        assert_eq!(Lang::from_tag("pt-BR"), Lang::Pt);
        assert_eq!(Lang::from_tag("pt"), Lang::Pt);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }

    #[test]
    fn no_text_is_empty_in_any_language() {
        for text in EVERY_TEXT {
            assert!(text.all().iter().all(|s| !s.trim().is_empty()), "{text:?}");
        }
    }
}
